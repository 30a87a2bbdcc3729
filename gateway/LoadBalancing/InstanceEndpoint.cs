using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>
/// What identifies a host to the balancers: two registrations that dial the same address and port are
/// the same host (as Ocelot's ServiceHostAndPort), whatever their Consul ids.
/// </summary>
internal readonly record struct InstanceEndpoint(string Address, int Port)
{
    public static InstanceEndpoint Of(ServiceInstance instance) => new(instance.Address, instance.Port);

    /// <summary>The listed instance at this endpoint, or null when it is no longer listed.</summary>
    public ServiceInstance? FindIn(IReadOnlyList<ServiceInstance> instances)
    {
        foreach (var instance in instances)
        {
            if (instance.Port == Port && string.Equals(instance.Address, Address, StringComparison.OrdinalIgnoreCase))
            {
                return instance;
            }
        }

        return null;
    }
}
