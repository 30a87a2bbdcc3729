using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// The healthy instances of each service, kept current in the background so that a request never waits
/// for Consul once a service is known.
/// </summary>
public interface IServiceDiscovery
{
    /// <summary>
    /// Applies a configuration load: where Consul is, and the service names the configured routes use
    /// (watched from now on, so their first request finds instances ready). Names missing from a later
    /// call stop being watched once no request has asked for them for a while.
    /// </summary>
    /// <exception cref="ArgumentException">The options cannot work (see <see cref="ServiceDiscoveryOptions.Validate"/>).</exception>
    void Configure(ServiceDiscoveryOptions options, IEnumerable<string> serviceNames);

    /// <summary>
    /// The last known healthy instances; never blocks. A name seen for the first time starts being watched
    /// and returns an empty list until Consul answers (use <see cref="GetInstancesAsync"/> to wait for that).
    /// </summary>
    IReadOnlyList<ServiceInstance> GetInstances(string serviceName);

    /// <summary>
    /// Like <see cref="GetInstances"/>, but the first request for a name waits (bounded, about 2 s) for
    /// Consul's first answer. Completes synchronously once the name has been answered.
    /// </summary>
    ValueTask<IReadOnlyList<ServiceInstance>> GetInstancesAsync(string serviceName, CancellationToken cancellationToken);

    /// <summary>
    /// Whether Consul lists <paramref name="serviceName"/> at all, passing or not; null while that is unknown (no
    /// provider configured, or Consul never answered). The first call waits (bounded, like
    /// <see cref="GetInstancesAsync"/>) for Consul's first answer; later calls complete synchronously.
    /// </summary>
    ValueTask<bool?> IsRegisteredAsync(string serviceName, CancellationToken cancellationToken);

    /// <summary>What the health endpoint shows: is Consul reachable, and how fresh each service's instances are.</summary>
    DiscoveryStatus GetStatus();
}
