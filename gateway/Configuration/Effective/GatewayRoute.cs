using System.Text.Json.Serialization;

namespace MicroDemo.Gateway.Configuration;

/// <summary>Effective options of one static route (<c>Routes[i]</c>).</summary>
public sealed record GatewayRoute
{
    /// <summary>Position in the merged route list (file order, used for tie-breaking equal priorities).</summary>
    [JsonIgnore]
    public required int Index { get; init; }

    /// <summary>File and entry this route came from, e.g. <c>ocelot.users.json</c> / <c>Routes[0] '/users'</c>.</summary>
    [JsonIgnore]
    public required ConfigurationSite Site { get; init; }

    public required string? Key { get; init; }
    public required string UpstreamPathTemplate { get; init; }

    /// <summary>Upper-case methods, compared case-insensitively; empty = any method.</summary>
    public required IReadOnlySet<string> UpstreamHttpMethods { get; init; }

    public required string? UpstreamHost { get; init; }
    public required IReadOnlyDictionary<string, string> UpstreamHeaderTemplates { get; init; }
    public required bool RouteIsCaseSensitive { get; init; }

    /// <summary>Default 1; forced to 0 for a template that is exactly one placeholder (<c>/{everything}</c>).</summary>
    public required int Priority { get; init; }

    public required string DownstreamPathTemplate { get; init; }

    /// <summary>Lower-case <c>http</c>, <c>https</c>, <c>ws</c> or <c>wss</c>; null = keep the upstream request's scheme.</summary>
    public required string? DownstreamScheme { get; init; }

    public required IReadOnlyList<DownstreamHostAndPort> DownstreamHostAndPorts { get; init; }
    public required string? ServiceName { get; init; }
    public required string? ServiceNamespace { get; init; }

    /// <summary>Upper-case method sent downstream instead of the request's, or null.</summary>
    public required string? DownstreamHttpMethod { get; init; }

    public required Version DownstreamHttpVersion { get; init; }
    public required HttpVersionPolicy DownstreamHttpVersionPolicy { get; init; }

    /// <summary>Route value, else global; null = no request-id header.</summary>
    public required string? RequestIdKey { get; init; }

    /// <summary>Whole downstream call timeout: route, else global, else 90 s.</summary>
    public required TimeSpan Timeout { get; init; }

    public required AuthenticationSettings Authentication { get; init; }
    public required IReadOnlyDictionary<string, string> RouteClaimsRequirement { get; init; }
    public required IReadOnlyDictionary<string, string> AddHeadersToRequest { get; init; }
    public required IReadOnlyDictionary<string, string> AddClaimsToRequest { get; init; }
    public required IReadOnlyDictionary<string, string> AddQueriesToRequest { get; init; }
    public required IReadOnlyDictionary<string, string> ChangeDownstreamPathTemplate { get; init; }

    /// <summary>Global and route entries merged; the route's entry wins per header name.</summary>
    public required IReadOnlyDictionary<string, string> UpstreamHeaderTransform { get; init; }

    /// <summary>Global and route entries merged; the route's entry wins per header name.</summary>
    public required IReadOnlyDictionary<string, string> DownstreamHeaderTransform { get; init; }

    public required RateLimitSettings RateLimit { get; init; }
    public required CacheSettings Cache { get; init; }
    public required QosSettings Qos { get; init; }
    public required LoadBalancerSettings LoadBalancer { get; init; }
    public required HttpHandlerSettings HttpHandler { get; init; }

    /// <summary>The route's lists, or the global ones when both route lists are empty.</summary>
    public required SecuritySettings Security { get; init; }

    public required IReadOnlyList<string> DelegatingHandlers { get; init; }
    public required bool DangerousAcceptAnyServerCertificateValidator { get; init; }

    /// <summary>Global metadata overlaid by the route's (route wins per key).</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>
    /// Ocelot's route key: <c>methods|UpstreamPathTemplate|UpstreamHost or no-host|host:port,…|namespace|service|lbType|lbKey</c>,
    /// or <c>CookieStickySessions:{cookie}</c> for sticky-session routes. Used for rate-limit counters
    /// and as the default cache region.
    /// </summary>
    public required string LoadBalancerKey { get; init; }

    /// <summary>
    /// SHA-256 (hex) of the canonical JSON of every effective value above except <see cref="Index"/> and
    /// <see cref="Site"/>. Equal fingerprints across a reload mean the route did not change, so its
    /// balancer, circuit breaker and rate-limit counters can be kept.
    /// </summary>
    [JsonIgnore]
    public string Fingerprint { get; init; } = "";
}

public sealed record DownstreamHostAndPort(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}
