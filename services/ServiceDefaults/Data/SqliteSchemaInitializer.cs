using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MicroDemo.ServiceDefaults.Data;

/// <summary>
/// Creates and seeds the database before the server accepts requests. Safe when several instances
/// start on one file at once: the first to take the write lock creates everything and bumps
/// <c>user_version</c>; the others then find version 1 and leave the data alone.
/// </summary>
internal sealed partial class SqliteSchemaInitializer(
    SqliteDatabase database,
    ISqliteSchema schema,
    ILogger<SqliteSchemaInitializer> logger) : IHostedService
{
    private const int CurrentVersion = 1;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (System.IO.Path.GetDirectoryName(database.Path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            // Persistent in the file; it cannot change inside a transaction.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        // BEGIN IMMEDIATE: takes the write lock now, so two starting instances queue here instead of both seeding.
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (version >= CurrentVersion)
        {
            return;
        }

        await schema.CreateAsync(connection, transaction, cancellationToken);
        await using var bump = connection.CreateCommand();
        bump.Transaction = transaction;
        bump.CommandText = $"PRAGMA user_version = {CurrentVersion};";
        await bump.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.Created(logger, database.Path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Created and seeded the database {Path}")]
        public static partial void Created(ILogger logger, string path);
    }
}
