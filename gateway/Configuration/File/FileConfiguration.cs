namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// The document shape of <c>ocelot.json</c> (Ocelot v25 schema). Every member is nullable so that
/// "absent" can be told apart from "set", which the global-options merge and the deprecated-name
/// precedence both depend on. Defaults are applied later, when the effective configuration is built.
/// </summary>
public sealed class FileConfiguration
{
    public List<FileRoute>? Routes { get; set; }

    /// <summary>Pre-v16 name of <see cref="Routes"/>; still read, and reported as deprecated.</summary>
    public List<FileRoute>? ReRoutes { get; set; }

    public List<FileDynamicRoute>? DynamicRoutes { get; set; }

    public List<FileAggregateRoute>? Aggregates { get; set; }

    public FileGlobalConfiguration? GlobalConfiguration { get; set; }
}

/// <summary>Keys shared by static and dynamic routes (Ocelot's <c>FileRouteBase</c>).</summary>
public abstract class FileRouteBase
{
    public string? ServiceName { get; set; }
    public string? ServiceNamespace { get; set; }
    public string? Key { get; set; }
    public string? DownstreamScheme { get; set; }
    public string? DownstreamHttpVersion { get; set; }
    public string? DownstreamHttpVersionPolicy { get; set; }
    public int? Timeout { get; set; }
    public FileAuthenticationOptions? AuthenticationOptions { get; set; }
    public FileCacheOptions? CacheOptions { get; set; }
    public FileHttpHandlerOptions? HttpHandlerOptions { get; set; }
    public FileLoadBalancerOptions? LoadBalancerOptions { get; set; }
    public FileQoSOptions? QoSOptions { get; set; }
    public FileRateLimitOptions? RateLimitOptions { get; set; }
    public Dictionary<string, string>? Metadata { get; set; }
}

public sealed class FileRoute : FileRouteBase
{
    public string? UpstreamPathTemplate { get; set; }
    public List<string>? UpstreamHttpMethod { get; set; }
    public string? UpstreamHost { get; set; }
    public Dictionary<string, string>? UpstreamHeaderTemplates { get; set; }
    public bool? RouteIsCaseSensitive { get; set; }
    public int? Priority { get; set; }
    public string? DownstreamPathTemplate { get; set; }
    public List<FileHostAndPort>? DownstreamHostAndPorts { get; set; }
    public string? DownstreamHttpMethod { get; set; }
    public string? RequestIdKey { get; set; }
    public Dictionary<string, string>? RouteClaimsRequirement { get; set; }
    public Dictionary<string, string>? AddHeadersToRequest { get; set; }
    public Dictionary<string, string>? AddClaimsToRequest { get; set; }
    public Dictionary<string, string>? AddQueriesToRequest { get; set; }
    public Dictionary<string, string>? ChangeDownstreamPathTemplate { get; set; }
    public Dictionary<string, string>? UpstreamHeaderTransform { get; set; }
    public Dictionary<string, string>? DownstreamHeaderTransform { get; set; }
    public List<string>? DelegatingHandlers { get; set; }
    public bool? DangerousAcceptAnyServerCertificateValidator { get; set; }
    public FileSecurityOptions? SecurityOptions { get; set; }

    /// <summary>Deprecated name of <see cref="FileRouteBase.CacheOptions"/>; wins when both are present (as in Ocelot v25).</summary>
    public FileCacheOptions? FileCacheOptions { get; set; }
}

public sealed class FileDynamicRoute : FileRouteBase
{
    /// <summary>Deprecated name of <see cref="FileRouteBase.RateLimitOptions"/>; wins when both are present.</summary>
    public FileRateLimitOptions? RateLimitRule { get; set; }
}

public sealed class FileAggregateRoute
{
    public string? UpstreamPathTemplate { get; set; }
    public string? UpstreamHost { get; set; }
    public Dictionary<string, string>? UpstreamHeaderTemplates { get; set; }
    public bool? RouteIsCaseSensitive { get; set; }
    public int? Priority { get; set; }

    /// <summary>Defaults to <c>["GET"]</c> for aggregates (unlike routes, where empty means any method).</summary>
    public List<string>? UpstreamHttpMethod { get; set; }

    public List<string>? RouteKeys { get; set; }
    public List<FileAggregateRouteConfig>? RouteKeysConfig { get; set; }
    public string? Aggregator { get; set; }
}

public sealed class FileAggregateRouteConfig
{
    public string? RouteKey { get; set; }
    public string? JsonPath { get; set; }
    public string? Parameter { get; set; }
}

public sealed class FileHostAndPort
{
    public string? Host { get; set; }
    public int? Port { get; set; }
}

public sealed class FileGlobalConfiguration
{
    public string? BaseUrl { get; set; }
    public string? RequestIdKey { get; set; }
    public string? DownstreamScheme { get; set; }
    public string? DownstreamHttpVersion { get; set; }
    public string? DownstreamHttpVersionPolicy { get; set; }
    public int? Timeout { get; set; }
    public FileServiceDiscoveryProvider? ServiceDiscoveryProvider { get; set; }
    public FileAuthenticationOptions? AuthenticationOptions { get; set; }
    public FileCacheOptions? CacheOptions { get; set; }
    public FileHttpHandlerOptions? HttpHandlerOptions { get; set; }
    public FileLoadBalancerOptions? LoadBalancerOptions { get; set; }
    public FileQoSOptions? QoSOptions { get; set; }
    public FileRateLimitOptions? RateLimitOptions { get; set; }
    public FileSecurityOptions? SecurityOptions { get; set; }
    public Dictionary<string, string>? Metadata { get; set; }
    public FileMetadataOptions? MetadataOptions { get; set; }
    public Dictionary<string, string>? UpstreamHeaderTransform { get; set; }
    public Dictionary<string, string>? DownstreamHeaderTransform { get; set; }

    /// <summary>
    /// MicroDemo extension (default <c>false</c>). When true, a request that no static route matches is
    /// tried as a dynamic route <c>/{service}/{rest}</c>; Ocelot never mixes static and dynamic routing.
    /// </summary>
    public bool? DynamicRoutingFallback { get; set; }

    /// <summary>
    /// MicroDemo extension (default <c>true</c>). Sends <c>X-Forwarded-For</c> (appended),
    /// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> downstream; Ocelot sends none of them.
    /// </summary>
    public bool? AddForwardedHeaders { get; set; }
}
