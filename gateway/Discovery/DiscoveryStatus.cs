namespace MicroDemo.Gateway.Discovery;

/// <summary>A snapshot of service discovery for the health endpoint.</summary>
/// <param name="ConsulUrl">Where Consul is expected; null until the first configuration load.</param>
/// <param name="UnreachableSince">When Consul stopped answering; null while it answers.</param>
public sealed record DiscoveryStatus(
    Uri? ConsulUrl,
    DateTimeOffset? UnreachableSince,
    IReadOnlyList<ServiceDiscoveryStatus> Services)
{
    public bool IsHealthy => UnreachableSince is null && Services.All(s => s.IsHealthy);
}

/// <summary>One watched service.</summary>
/// <param name="InstanceCount">Healthy instances the gateway routes to (the last known ones while Consul fails).</param>
/// <param name="LastRefresh">The last successful answer from Consul; null if there was none yet.</param>
/// <param name="ConsecutiveFailures">Failed queries since the last successful one.</param>
/// <param name="LastError">Why the last query failed, while it keeps failing.</param>
public sealed record ServiceDiscoveryStatus(
    string ServiceName,
    int InstanceCount,
    DateTimeOffset? LastRefresh,
    int ConsecutiveFailures,
    string? LastError)
{
    public bool IsHealthy => ConsecutiveFailures == 0;

    public string State => IsHealthy ? "Healthy" : "Degraded";
}
