using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicroDemo.Gateway.Distributed;

/// <summary>
/// Reports Degraded, not Unhealthy, while Redis is away: the gateway still serves, with each replica's own counters
/// and cache, so taking it out of the load balancer would only make things worse.
/// </summary>
public sealed class RedisHealthCheck(SharedState state) : IHealthCheck
{
    public const string Name = "redis";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.UnavailableSince is { } since
            ? HealthCheckResult.Degraded(
                $"Redis at {state.Endpoint} is unavailable since {since:O}; rate limits and the cache are per replica meanwhile.",
                data: new Dictionary<string, object> { ["redis"] = state.Endpoint, ["unavailableSince"] = since })
            : HealthCheckResult.Healthy($"Redis at {state.Endpoint} answers; rate limits and the cache are shared."));
}
