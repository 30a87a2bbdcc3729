using MicroDemo.Gateway.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicroDemo.Gateway.Health;

/// <summary>
/// Reports Degraded while the last configuration change was refused (the previous configuration keeps serving,
/// but what an operator wrote is not what runs) or while the Consul KV key holding the configuration cannot be read.
/// </summary>
/// <param name="consulKv">Null unless the configuration is stored in Consul KV.</param>
internal sealed class ConfigurationHealthCheck(GatewayConfigurationStore store, ConsulKvConfiguration? consulKv = null) : IHealthCheck
{
    public const string Name = "configuration";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["source"] = store.DocumentName };
        if (store.Rejection is { } rejection)
        {
            data["errors"] = rejection.Errors.Select(e => e.ToString()).ToArray();
            return Task.FromResult(HealthCheckResult.Degraded(
                $"The last change from {rejection.Origin} was refused ({rejection.Errors.Count} error(s)); the previous configuration keeps serving.", data: data));
        }

        if (consulKv is { UnreachableSince: { } since } kv)
        {
            data["unreachableSince"] = since;
            return Task.FromResult(HealthCheckResult.Degraded(
                $"{kv.Name} cannot be read from {kv.ConsulUrl} since {since:O}; the last configuration read keeps serving.", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"Configuration from {store.DocumentName}.", data));
    }
}
