using System.Text.Json.Serialization;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Effective options for one service in dynamic-routing mode: a <c>DynamicRoutes</c> entry merged over
/// the global sections, or the global defaults alone (<see cref="GatewayConfiguration.ResolveDynamicRoute"/>).
/// </summary>
public sealed record GatewayDynamicRoute
{
    /// <summary>Position in <c>DynamicRoutes</c>, or -1 for a service without its own entry.</summary>
    [JsonIgnore]
    public required int Index { get; init; }

    [JsonIgnore]
    public required ConfigurationSite Site { get; init; }

    public required string ServiceName { get; init; }
    public required string? ServiceNamespace { get; init; }
    public required string? Key { get; init; }

    /// <summary>Entry value, else global <c>DownstreamScheme</c>; null = keep the upstream request's scheme.</summary>
    public required string? DownstreamScheme { get; init; }

    public required Version DownstreamHttpVersion { get; init; }
    public required HttpVersionPolicy DownstreamHttpVersionPolicy { get; init; }
    public required TimeSpan Timeout { get; init; }
    public required AuthenticationSettings Authentication { get; init; }
    public required RateLimitSettings RateLimit { get; init; }
    public required CacheSettings Cache { get; init; }
    public required QosSettings Qos { get; init; }
    public required LoadBalancerSettings LoadBalancer { get; init; }
    public required HttpHandlerSettings HttpHandler { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary><c>namespace.service</c> (just the service name without a namespace), or <c>CookieStickySessions:{cookie}</c>.</summary>
    public required string LoadBalancerKey { get; init; }

    /// <inheritdoc cref="GatewayRoute.Fingerprint"/>
    [JsonIgnore]
    public string Fingerprint { get; init; } = "";
}
