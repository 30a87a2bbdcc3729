using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicroDemo.ServiceDefaults.Data;

/// <summary>Ready only while the database file opens and answers a query that reads its schema.</summary>
internal sealed class SqliteHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // sqlite_master is read from the file itself, so a corrupt or foreign file fails here.
            command.CommandText = "SELECT count(*) FROM sqlite_master;";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
        {
            // The description is shown on /health/ready; the message names the problem without internals.
            return HealthCheckResult.Unhealthy($"The database is unusable: {e.Message}");
        }
    }
}
