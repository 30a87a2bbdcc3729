namespace MicroDemo.Gateway.Hosting;

/// <summary>
/// What one client, or all of them together, can hold of the gateway. Bound from the <c>Gateway:Limits</c>
/// section (as environment variables <c>Gateway__Limits__MaxConcurrentRequests</c> and so on). The defaults
/// fit this stack on a small machine; docs/how-the-gateway-works.md ("Security model") explains each.
/// A count of 0 or less means "no limit".
/// </summary>
public sealed record GatewayLimitsOptions
{
    public const string SectionName = "Gateway:Limits";

    /// <summary>
    /// Requests being forwarded at once; the next one is answered 503 with <c>Retry-After</c> at once rather than
    /// queued. Bounds memory and, with <see cref="MaxConnectionsPerServer"/>, the gateway's outgoing sockets.
    /// </summary>
    public int MaxConcurrentRequests { get; init; } = 1024;

    /// <summary>
    /// Open client connections (Kestrel <c>MaxConcurrentConnections</c>); more are refused when accepted. Bounds
    /// the descriptors idle keep-alive and slow-header connections can hold, which never become requests.
    /// </summary>
    public long MaxConcurrentConnections { get; init; } = 4096;

    /// <summary>
    /// Connections to one downstream host and port (<c>SocketsHttpHandler.MaxConnectionsPerServer</c>): the ceiling
    /// for ocelot.json's <c>HttpHandlerOptions.MaxConnectionsPerServer</c>, which can only lower it. Requests beyond
    /// it wait for a free connection, within the route's timeout.
    /// </summary>
    public int MaxConnectionsPerServer { get; init; } = 512;

    /// <summary>
    /// Time a client has to send all its request headers (Kestrel <c>RequestHeadersTimeout</c>, default 30 s): a
    /// client trickling headers holds a connection only this long.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Slowest request body the gateway accepts, in bytes per second averaged after <see cref="MinRequestBodyGracePeriod"/>
    /// (Kestrel <c>MinRequestBodyDataRate</c>); a body that stalls is cut with 408. 0 turns the check off.
    /// </summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    public TimeSpan MinRequestBodyGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The ceiling applied to a pool's configured connection cap (≤ 0 in ocelot.json means "unlimited" there).</summary>
    public int CapConnectionsPerServer(int configured)
    {
        var ceiling = MaxConnectionsPerServer > 0 ? MaxConnectionsPerServer : int.MaxValue;
        return configured > 0 ? Math.Min(configured, ceiling) : ceiling;
    }
}
