using Microsoft.Data.Sqlite;

namespace MicroDemo.ServiceDefaults.Data;

/// <summary>
/// Opens connections to the service's SQLite file. Several instances may share the file:
/// WAL lets readers and one writer work side by side, and the busy timeout makes a writer wait
/// for another instance's write instead of failing with "database is locked".
/// </summary>
public sealed class SqliteDatabase(string path)
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        DefaultTimeout = (int)BusyTimeout.TotalSeconds,
    }.ToString();

    /// <summary>The full path of the database file.</summary>
    public string Path { get; } = path;

    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
