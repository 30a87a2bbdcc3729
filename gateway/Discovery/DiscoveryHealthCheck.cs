using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// Reports Degraded, not Unhealthy, while Consul is unreachable or a service's query fails: the gateway
/// still routes to the last known instances and static routes are unaffected.
/// </summary>
public sealed class DiscoveryHealthCheck(IServiceDiscovery discovery) : IHealthCheck
{
    public const string Name = "discovery";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = discovery.GetStatus();
        if (status.ConsulUrl is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Service discovery is not configured."));
        }

        var data = new Dictionary<string, object>
        {
            ["consul"] = status.ConsulUrl.ToString(),
            ["services"] = status.Services,
        };
        if (status.UnreachableSince is { } since)
        {
            data["unreachableSince"] = since;
            return Task.FromResult(HealthCheckResult.Degraded(
                $"Consul at {status.ConsulUrl} is unreachable since {since:O}; routing to the last known instances.", data: data));
        }

        var failing = status.Services.Where(s => !s.IsHealthy).Select(s => s.ServiceName).ToList();
        return Task.FromResult(failing.Count > 0
            ? HealthCheckResult.Degraded($"Consul queries fail for: {string.Join(", ", failing)}.", data: data)
            : HealthCheckResult.Healthy($"Consul at {status.ConsulUrl} answers; {status.Services.Count} service(s) watched.", data));
    }
}
