using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>
/// Each instance in turn. One cursor per balancer; the registry hands routes with the same key (the
/// service name for discovery routes) the same balancer, so they share the cursor as in Ocelot.
/// </summary>
public sealed class RoundRobin : ILoadBalancer
{
    private ulong _turns;

    public ValueTask<Lease?> LeaseAsync(HttpContext context, IReadOnlyList<ServiceInstance> instances) =>
        ValueTask.FromResult(instances.Count == 0 ? null : new Lease(Next(instances)));

    /// <summary>The next instance; <paramref name="instances"/> must not be empty.</summary>
    internal ServiceInstance Next(IReadOnlyList<ServiceInstance> instances)
    {
        // Interlocked, not a lock: concurrent requests each get their own turn, so N requests over
        // k hosts split exactly (99 over 2 → 50/49). The list may change between calls; the cursor just continues.
        var turn = Interlocked.Increment(ref _turns) - 1;
        return instances[(int)(turn % (ulong)instances.Count)];
    }
}
