using System.Text.Json.Serialization;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>Everything the dashboard page shows, as <c>GET /dashboard/data</c> and each live update send it.</summary>
public sealed record DashboardSnapshot(
    DateTimeOffset At,
    string Gateway,
    ConfigurationVersion Configuration,
    IReadOnlyList<RouteView> Routes,
    IReadOnlyList<ServiceView> Services,
    IReadOnlyList<CircuitView> OpenCircuits,
    IReadOnlyList<RateLimitView> RateLimits,
    CacheView Cache);

/// <param name="Downstream">The Consul service name, or the fixed host:port list.</param>
/// <param name="Circuit">closed, open or half-open; null without a circuit breaker.</param>
public sealed record RouteView(
    string Route,
    IReadOnlyList<string> Methods,
    string Downstream,
    IReadOnlyList<string>? Scopes,
    bool Authenticated,
    string? RateLimit,
    int? CacheSeconds,
    string? Qos,
    string? Circuit,
    TrafficSummary Traffic,
    long RateLimited,
    long CacheHits,
    long CacheMisses);

/// <param name="Discovery">How the gateway's watch of the service fares: Healthy or Degraded (null when not watched).</param>
/// <param name="Error">Why Consul could not be asked, when it could not.</param>
public sealed record ServiceView(string Name, string? Discovery, IReadOnlyList<InstanceView> Instances, string? Error);

/// <param name="Consul">Consul's worst check: passing, warning or critical.</param>
/// <param name="EjectedUntil">Set while the gateway's passive health keeps the instance out of load balancing.</param>
public sealed record InstanceView(string Id, string Address, int Port, string Consul, DateTimeOffset? EjectedUntil);

public sealed record CircuitView(string Route, string State, double RetryAfterSeconds);

public sealed record RateLimitView(string Route, string Client, long Used, long Limit, double ResetsInSeconds, bool Rejected);

/// <param name="Entries">Responses cached in this gateway; null when the cache is shared in Redis.</param>
public sealed record CacheView(int? Entries, long Hits, long Misses);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(DashboardSnapshot))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
