namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// Settings of one outbound connection pool. Mirrors Ocelot's <c>HttpHandlerOptions</c> plus the route's
/// <c>DangerousAcceptAnyServerCertificateValidator</c>; routes with equal settings share one pool.
/// </summary>
public sealed record DownstreamClientSettings
{
    /// <summary>Follow 3xx redirects inside the gateway (Ocelot default: false, so the client sees the 3xx).</summary>
    public bool AllowAutoRedirect { get; init; }

    /// <summary>Connection cap per downstream host; zero or less means unlimited.</summary>
    public int MaxConnectionsPerServer { get; init; } = int.MaxValue;

    /// <summary>Recycle pooled connections after this many seconds so DNS changes are picked up; zero or less means never.</summary>
    public int PooledConnectionLifetimeSeconds { get; init; } = 120;

    /// <summary>
    /// One cookie jar shared by every request of the pool (Ocelot semantics). It leaks cookies between users,
    /// so it is off by default and only fits single-user back channels.
    /// </summary>
    public bool UseCookieContainer { get; init; }

    /// <summary>Send downstream traffic through the system proxy (HTTP_PROXY and friends).</summary>
    public bool UseProxy { get; init; }

    /// <summary>Inject fresh W3C trace headers (the gateway's span as parent) instead of forwarding the client's untouched.</summary>
    public bool UseTracing { get; init; }

    /// <summary>Skip TLS certificate validation for https/wss downstreams. Never in production.</summary>
    public bool DangerousAcceptAnyServerCertificateValidator { get; init; }

    public static DownstreamClientSettings Default { get; } = new();
}
