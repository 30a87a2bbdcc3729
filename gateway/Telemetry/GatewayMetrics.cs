using System.Diagnostics;
using System.Diagnostics.Metrics;
using MicroDemo.Gateway.Discovery;
using MicroDemo.Gateway.RateLimiting;
using MicroDemo.Gateway.Resilience;
using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.Telemetry;

/// <summary>
/// The gateway's own instruments, beside ASP.NET Core's per-route <c>http.server.request.duration</c> (named by
/// <see cref="GatewayActivities.RouteMatched"/>): per downstream instance, rate limits, cache, circuits, passive
/// health and discovery. Exported by OpenTelemetry (Prometheus, OTLP) and read live by the dashboard.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "MicroDemo.Gateway";

    private readonly Histogram<double> _downstreamDuration;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _circuitTransitions;
    private readonly Counter<long> _ejections;
    private readonly RateLimitWatch _rateLimits;

    public GatewayMetrics(IMeterFactory meters, IServiceDiscovery discovery, RateLimitWatch rateLimits)
    {
        _rateLimits = rateLimits;
        var meter = meters.Create(MeterName);
        _downstreamDuration = meter.CreateHistogram(
            "microdemo.gateway.downstream.duration", "s", "Time until a downstream instance's response headers arrived, per route, instance and status class.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _rateLimitRejections = meter.CreateCounter<long>("microdemo.gateway.rate_limit.rejections", "{request}", "Requests refused by a route's rate limit.");
        _cacheLookups = meter.CreateCounter<long>("microdemo.gateway.cache.lookups", "{lookup}", "Output cache lookups, by result (hit or miss).");
        _circuitTransitions = meter.CreateCounter<long>("microdemo.gateway.circuit.transitions", "{transition}", "Circuit breaker state changes, by the state entered.");
        _ejections = meter.CreateCounter<long>("microdemo.gateway.passive_health.ejections", "{ejection}", "Instances ejected from load balancing after failed calls.");
        meter.CreateObservableGauge("microdemo.gateway.discovery.instances", () => DiscoveredInstances(discovery), "{instance}",
            "Healthy instances service discovery lists, per service.");
    }

    /// <summary>One downstream attempt ended: answered with <paramref name="statusCode"/>, or failed (null).</summary>
    public void DownstreamAttempted(string route, ServiceInstance instance, int? statusCode, long startedTimestamp)
    {
        if (_downstreamDuration.Enabled)
        {
            _downstreamDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new TagList
            {
                { GatewayActivities.RouteTag, route },
                { GatewayActivities.InstanceTag, instance.Id },
                { "http.response.status_class", StatusClass(statusCode) },
            });
        }
    }

    /// <summary>A rate limit counted a request; refused ones are counted, and counters close to their limit are shown.</summary>
    public void RateLimitCounted(string route, string clientId, RateLimitDecision decision)
    {
        if (!decision.Allowed)
        {
            _rateLimitRejections.Add(1, new KeyValuePair<string, object?>(GatewayActivities.RouteTag, route));
        }

        _rateLimits.Observe(route, clientId, decision);
    }

    /// <summary>The output cache was asked: it served the request (hit), had nothing for it (miss), or neither (not cacheable).</summary>
    public void CacheLookedUp(string route, bool served, bool missed)
    {
        if (served || missed)
        {
            _cacheLookups.Add(1, new KeyValuePair<string, object?>(GatewayActivities.RouteTag, route), new KeyValuePair<string, object?>("result", served ? "hit" : "miss"));
        }
    }

    public void CircuitChanged(string route, CircuitStatus status) =>
        _circuitTransitions.Add(1, new KeyValuePair<string, object?>(GatewayActivities.RouteTag, route), new KeyValuePair<string, object?>("state", StateName(status)));

    public void InstanceEjected(string service, string address, int port) =>
        _ejections.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>(GatewayActivities.InstanceTag, $"{address}:{port}"));

    public static string StateName(CircuitStatus status) => status switch
    {
        CircuitStatus.Open => "open",
        CircuitStatus.HalfOpen => "half-open",
        _ => "closed",
    };

    private static string StatusClass(int? statusCode) => statusCode switch
    {
        null => "error",
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };

    private static IEnumerable<Measurement<int>> DiscoveredInstances(IServiceDiscovery discovery)
    {
        foreach (var service in discovery.GetStatus().Services)
        {
            yield return new Measurement<int>(service.InstanceCount, new KeyValuePair<string, object?>("service", service.ServiceName));
        }
    }
}
