namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>
/// Passive health of instances, bound from <c>Gateway:PassiveHealth</c> in the gateway's settings (a MicroDemo
/// extension, as YARP's passive health checks and Envoy's outlier detection). It applies to every route that
/// balances over two or more instances; a route with one instance keeps Ocelot's QoS semantics unchanged.
/// </summary>
public sealed record PassiveHealthOptions
{
    public const string SectionName = "Gateway:PassiveHealth";

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Consecutive 5xx answers or timeouts that eject an instance. A broken connection ejects it at once: an
    /// instance that cannot hold a connection has nothing to prove by failing again.
    /// </summary>
    public int ConsecutiveFailures { get; init; } = 3;

    /// <summary>
    /// How long an ejected instance gets no requests. Afterwards it is on probation: one failure ejects it again,
    /// one success clears it. An instance that service discovery drops and lists again starts afresh at once.
    /// </summary>
    public TimeSpan EjectionDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Also fail over a bodyless idempotent request (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) whose instance broke the
    /// connection after it was sent, or answered 502 or 503. Off by default: such a request may have reached the
    /// instance. A request that was never sent (connection refused) is always retried once on another instance.
    /// </summary>
    public bool RetryIdempotent { get; init; }
}
