using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>Picks the instance a request goes to (<c>LoadBalancerOptions.Type</c> in <c>ocelot.json</c>).</summary>
public interface ILoadBalancer
{
    /// <summary>
    /// Chooses one of <paramref name="instances"/> (the route's <c>DownstreamHostAndPorts</c> or the service's
    /// healthy instances, in their given order). Null when the list is empty. Dispose the lease when the
    /// downstream call has returned: <see cref="LeastConnection"/> counts open leases.
    /// </summary>
    ValueTask<Lease?> LeaseAsync(HttpContext context, IReadOnlyList<ServiceInstance> instances);
}
