using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// How long discovery waits for what. Not part of <c>ocelot.json</c>: the defaults suit every deployment
/// we know of; tests shorten them.
/// </summary>
internal sealed record DiscoveryTimings
{
    /// <summary>How long one blocking query may park in Consul before it answers "no change".</summary>
    public TimeSpan BlockingWait { get; init; } = ConsulClient.MaxBlockingWait;

    /// <summary>How long the first request for a never-seen service waits for Consul's first answer.</summary>
    public TimeSpan FirstAnswerTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The first retry delay after a failed query; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Also bounds how late the gateway notices that Consul is back.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A service neither configured nor requested for this long stops being watched.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
