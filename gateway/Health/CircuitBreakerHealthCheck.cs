using MicroDemo.Gateway.Resilience;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicroDemo.Gateway.Health;

/// <summary>Reports Degraded, listing the routes, while any route's circuit breaker is open or half-open.</summary>
public sealed class CircuitBreakerHealthCheck(RouteResilienceRegistry circuits) : IHealthCheck
{
    public const string Name = "circuits";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var tripped = circuits.TrippedCircuits();
        if (tripped.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("All circuits closed."));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var circuit in tripped)
        {
            data[circuit.RouteName] = circuit.Status == CircuitStatus.Open
                ? $"open, next probe in {Math.Ceiling(circuit.RetryAfter.TotalSeconds):0} s"
                : "half-open";
        }

        return Task.FromResult(HealthCheckResult.Degraded($"{tripped.Count} route(s) with an open circuit.", data: data));
    }
}
