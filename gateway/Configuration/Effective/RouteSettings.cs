namespace MicroDemo.Gateway.Configuration;

/// <summary>Effective <c>AuthenticationOptions</c>.</summary>
public sealed record AuthenticationSettings(
    IReadOnlyList<string> ProviderKeys,
    IReadOnlyList<string> AllowedScopes,
    bool AllowAnonymous)
{
    public static AuthenticationSettings None { get; } = new([], [], AllowAnonymous: false);

    /// <summary>A route needs an authenticated caller when it names a scheme and does not opt out.</summary>
    public bool RequiresAuthentication => ProviderKeys.Count > 0 && !AllowAnonymous;
}

/// <summary>
/// Effective <c>CacheOptions</c>; caching is on when <see cref="TtlSeconds"/> &gt; 0. <see cref="Shared"/> (an
/// extension) lets the callers of an authenticated route share entries.
/// </summary>
public sealed record CacheSettings(int TtlSeconds, string Region, string Header, bool EnableContentHashing, bool Shared = false)
{
    public const string DefaultHeader = "OC-Cache-Control";

    public bool Enabled => TtlSeconds > 0;

    public TimeSpan Ttl => TimeSpan.FromSeconds(TtlSeconds);
}

/// <summary>Effective <c>HttpHandlerOptions</c>, mapping onto <see cref="SocketsHttpHandler"/>.</summary>
public sealed record HttpHandlerSettings(
    bool AllowAutoRedirect,
    int MaxConnectionsPerServer,
    TimeSpan PooledConnectionLifetime,
    bool UseCookieContainer,
    bool UseProxy,
    bool UseTracing)
{
    public static HttpHandlerSettings Default { get; } =
        new(false, int.MaxValue, TimeSpan.FromSeconds(120), false, false, false);
}

/// <summary>Effective <c>LoadBalancerOptions</c>.</summary>
public sealed record LoadBalancerSettings(string Type, string? Key, TimeSpan Expiry)
{
    public const string NoLoadBalancer = "NoLoadBalancer";
    public const string RoundRobin = "RoundRobin";
    public const string LeastConnection = "LeastConnection";
    public const string CookieStickySessions = "CookieStickySessions";
    public const string DefaultStickyCookie = ".AspNetCore.Session";
    public static readonly TimeSpan DefaultStickyExpiry = TimeSpan.FromMilliseconds(1_200_000);

    public static IReadOnlyList<string> SupportedTypes { get; } = [NoLoadBalancer, RoundRobin, LeastConnection, CookieStickySessions];

    public static LoadBalancerSettings Default { get; } = new(NoLoadBalancer, null, DefaultStickyExpiry);
}

/// <summary>
/// Effective <c>QoSOptions</c>. MicroDemo semantics (deliberately unlike Ocelot's silent clamping):
/// <see cref="MinimumThroughput"/> = N opens the circuit after N consecutive failures; a
/// <see cref="FailureRatio"/> switches to a ratio breaker over <see cref="SamplingDuration"/>.
/// </summary>
public sealed record QosSettings(
    int MinimumThroughput,
    TimeSpan BreakDuration,
    double? FailureRatio,
    TimeSpan SamplingDuration,
    TimeSpan? Timeout)
{
    public static readonly TimeSpan DefaultBreakDuration = TimeSpan.FromMilliseconds(5000);
    public static readonly TimeSpan DefaultSamplingDuration = TimeSpan.FromMilliseconds(10_000);

    public static QosSettings Disabled { get; } = new(0, DefaultBreakDuration, null, DefaultSamplingDuration, null);

    /// <summary>Ocelot's rule: QoS is on when MinimumThroughput, Timeout or FailureRatio is positive.</summary>
    public bool Enabled => CircuitBreakerEnabled || Timeout is not null;

    public bool CircuitBreakerEnabled => MinimumThroughput > 0 || FailureRatio > 0;
}

/// <summary>How rate-limit counters are partitioned (MicroDemo extension key <c>PartitionBy</c>).</summary>
public enum RateLimitPartition
{
    /// <summary>The value of the client-id header (Ocelot's only behaviour).</summary>
    ClientId,

    /// <summary>The connection's remote IP address.</summary>
    ClientIp,

    /// <summary>A claim of the authenticated user (<see cref="RateLimitSettings.PartitionClaim"/>).</summary>
    Claim,
}

/// <summary>Effective <c>RateLimitOptions</c>; disabled when no section applies or EnableRateLimiting is false.</summary>
public sealed record RateLimitSettings
{
    public const string DefaultClientIdHeader = "Oc-Client";
    public const string DefaultQuotaMessage = "API calls quota exceeded! Maximum admitted {0} per {1}.";
    public const string DefaultKeyPrefix = "Ocelot.RateLimiting";
    public const string DefaultPartitionClaim = "client_id";
    public const int DefaultStatusCode = 429;

    public static RateLimitSettings Disabled { get; } = new()
    {
        Enabled = false,
        ClientIdHeader = DefaultClientIdHeader,
        ClientWhitelist = new HashSet<string>(StringComparer.Ordinal),
        Limit = 0,
        PeriodText = "1s",
        Period = TimeSpan.FromSeconds(1),
        WaitText = "0ms",
        Wait = TimeSpan.Zero,
        StatusCode = DefaultStatusCode,
        QuotaMessage = DefaultQuotaMessage,
        KeyPrefix = DefaultKeyPrefix,
        EnableHeaders = true,
        PartitionBy = RateLimitPartition.ClientId,
        PartitionClaim = DefaultPartitionClaim,
    };

    public required bool Enabled { get; init; }
    public required string ClientIdHeader { get; init; }

    /// <summary>Exact client ids (ordinal) that bypass limiting.</summary>
    public required IReadOnlySet<string> ClientWhitelist { get; init; }

    /// <summary>Requests allowed per window; 0 blocks every request (Ocelot v25).</summary>
    public required long Limit { get; init; }

    /// <summary>The window as written (used in the quota message and counter key).</summary>
    public required string PeriodText { get; init; }

    public required TimeSpan Period { get; init; }
    public required string WaitText { get; init; }
    public required TimeSpan Wait { get; init; }
    public required int StatusCode { get; init; }

    /// <summary>Composite format: {0} = Limit, {1} = PeriodText.</summary>
    public required string QuotaMessage { get; init; }

    public required string KeyPrefix { get; init; }
    public required bool EnableHeaders { get; init; }
    public required RateLimitPartition PartitionBy { get; init; }
    public required string PartitionClaim { get; init; }
}

/// <summary>Effective <c>SecurityOptions</c> (raw entries: single IP, range, <c>ip/mask</c>, CIDR).</summary>
public sealed record SecuritySettings(
    IReadOnlyList<string> IPAllowedList,
    IReadOnlyList<string> IPBlockedList,
    bool ExcludeAllowedFromBlocked)
{
    public static SecuritySettings None { get; } = new([], [], false);

    public bool IsEmpty => IPAllowedList.Count == 0 && IPBlockedList.Count == 0;
}
