namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Base of every options section that may also appear in <c>GlobalConfiguration</c>.
/// <see cref="RouteKeys"/> is only read there: absent or empty means "every route",
/// otherwise only routes whose <c>Key</c> is listed receive the global values.
/// </summary>
public abstract class FileGroupableOptions
{
    public List<string>? RouteKeys { get; set; }
}

public sealed class FileAuthenticationOptions : FileGroupableOptions
{
    public List<string>? AuthenticationProviderKeys { get; set; }

    /// <summary>Deprecated single-scheme form; placed in front of <see cref="AuthenticationProviderKeys"/>.</summary>
    public string? AuthenticationProviderKey { get; set; }

    public List<string>? AllowedScopes { get; set; }
    public bool? AllowAnonymous { get; set; }
}

public sealed class FileCacheOptions : FileGroupableOptions
{
    public int? TtlSeconds { get; set; }
    public string? Region { get; set; }
    public string? Header { get; set; }
    public bool? EnableContentHashing { get; set; }

    /// <summary>
    /// MicroDemo extension: on a route that authenticates, true keeps one entry for every caller (the response does
    /// not depend on who asks). Default false: each caller (its <c>sub</c>, or <c>client_id</c>) has its own entries.
    /// </summary>
    public bool? Shared { get; set; }
}

public sealed class FileHttpHandlerOptions : FileGroupableOptions
{
    public bool? AllowAutoRedirect { get; set; }
    public int? MaxConnectionsPerServer { get; set; }
    public int? PooledConnectionLifetimeSeconds { get; set; }
    public bool? UseCookieContainer { get; set; }
    public bool? UseProxy { get; set; }
    public bool? UseTracing { get; set; }
}

public sealed class FileLoadBalancerOptions : FileGroupableOptions
{
    public string? Type { get; set; }
    public string? Key { get; set; }
    public int? Expiry { get; set; }
}

public sealed class FileQoSOptions : FileGroupableOptions
{
    public int? MinimumThroughput { get; set; }
    public int? BreakDuration { get; set; }
    public double? FailureRatio { get; set; }
    public int? SamplingDuration { get; set; }
    public int? Timeout { get; set; }

    /// <summary>Deprecated name of <see cref="MinimumThroughput"/>; wins when both are present.</summary>
    public int? ExceptionsAllowedBeforeBreaking { get; set; }

    /// <summary>Deprecated name of <see cref="BreakDuration"/>; wins when both are present.</summary>
    public int? DurationOfBreak { get; set; }

    /// <summary>Deprecated name of <see cref="Timeout"/>; wins when both are present.</summary>
    public int? TimeoutValue { get; set; }
}

public sealed class FileRateLimitOptions : FileGroupableOptions
{
    public bool? EnableRateLimiting { get; set; }
    public string? ClientIdHeader { get; set; }
    public List<string>? ClientWhitelist { get; set; }
    public long? Limit { get; set; }
    public string? Period { get; set; }
    public string? Wait { get; set; }
    public int? StatusCode { get; set; }
    public string? QuotaMessage { get; set; }
    public string? KeyPrefix { get; set; }
    public bool? EnableHeaders { get; set; }

    /// <summary>
    /// MicroDemo extension: what identifies a client. <c>ClientId</c> (default, Ocelot's behaviour: the
    /// value of <see cref="ClientIdHeader"/>), <c>ClientIp</c> (the connection's remote address) or
    /// <c>Claim</c> (the authenticated user's <see cref="PartitionClaim"/> claim).
    /// </summary>
    public string? PartitionBy { get; set; }

    /// <summary>MicroDemo extension: claim type used when <see cref="PartitionBy"/> is <c>Claim</c>; default <c>client_id</c>.</summary>
    public string? PartitionClaim { get; set; }

    /// <summary>Deprecated: seconds, converted to <see cref="Wait"/>; wins when both are present.</summary>
    public double? PeriodTimespan { get; set; }

    /// <summary>Deprecated name of <see cref="QuotaMessage"/>; wins when both are present.</summary>
    public string? QuotaExceededMessage { get; set; }

    /// <summary>Deprecated name of <see cref="StatusCode"/>; wins when both are present.</summary>
    public int? HttpStatusCode { get; set; }

    /// <summary>Deprecated, negated <see cref="EnableHeaders"/>; wins when both are present.</summary>
    public bool? DisableRateLimitHeaders { get; set; }

    /// <summary>Deprecated name of <see cref="KeyPrefix"/>; wins when both are present.</summary>
    public string? RateLimitCounterPrefix { get; set; }
}

public sealed class FileSecurityOptions
{
    public List<string>? IPAllowedList { get; set; }
    public List<string>? IPBlockedList { get; set; }
    public bool? ExcludeAllowedFromBlocked { get; set; }
}

public sealed class FileServiceDiscoveryProvider
{
    public string? Scheme { get; set; }
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string? Type { get; set; }
    public string? Token { get; set; }
    public string? ConfigurationKey { get; set; }
    public int? PollingInterval { get; set; }
    public string? Namespace { get; set; }
}

public sealed class FileMetadataOptions
{
    public string? CurrentCulture { get; set; }
    public string? NumberStyle { get; set; }
    public List<string>? Separators { get; set; }
    public string? StringSplitOption { get; set; }
    public List<string>? TrimChars { get; set; }
}
