using Microsoft.Data.Sqlite;

namespace MicroDemo.ServiceDefaults.Data;

/// <summary>A service's tables and seed rows, applied once per database file.</summary>
public interface ISqliteSchema
{
    /// <summary>
    /// Creates the tables and seeds them. Runs inside a write transaction that no other instance can
    /// enter at the same time, and only while the file's <c>user_version</c> is 0, so seeding happens once.
    /// </summary>
    Task CreateAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken);
}
