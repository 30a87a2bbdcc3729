using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>
/// The instance with the fewest open leases; the first listed one on ties. Hosts that left the list are
/// forgotten, new ones start at zero.
/// </summary>
public sealed class LeastConnection : ILoadBalancer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<InstanceEndpoint, Host> _hosts = [];

    public ValueTask<Lease?> LeaseAsync(HttpContext context, IReadOnlyList<ServiceInstance> instances)
    {
        if (instances.Count == 0)
        {
            return ValueTask.FromResult<Lease?>(null);
        }

        lock (_gate)
        {
            ServiceInstance? chosen = null;
            Host? least = null;
            foreach (var instance in instances)
            {
                var endpoint = InstanceEndpoint.Of(instance);
                if (!_hosts.TryGetValue(endpoint, out var host))
                {
                    _hosts[endpoint] = host = new Host();
                }

                if (least is null || host.Active < least.Active)
                {
                    (chosen, least) = (instance, host);
                }
            }

            if (_hosts.Count > instances.Count)
            {
                ForgetHostsNotIn(instances);
            }

            least!.Acquire();
            return ValueTask.FromResult<Lease?>(new Lease(chosen!, least.Release));
        }
    }

    /// <summary>Open leases per host, for tests and diagnostics.</summary>
    internal int ActiveLeases(ServiceInstance instance)
    {
        lock (_gate)
        {
            return _hosts.TryGetValue(InstanceEndpoint.Of(instance), out var host) ? host.Active : 0;
        }
    }

    private void ForgetHostsNotIn(IReadOnlyList<ServiceInstance> instances)
    {
        var listed = instances.Select(InstanceEndpoint.Of).ToHashSet();
        foreach (var endpoint in _hosts.Keys.Where(e => !listed.Contains(e)).ToList())
        {
            // A lease still open on a forgotten host releases into the detached Host object, so a host that
            // comes back starts at zero and is never driven negative.
            _hosts.Remove(endpoint);
        }
    }

    private sealed class Host
    {
        private int _active;

        public int Active => Volatile.Read(ref _active);

        public void Acquire() => Interlocked.Increment(ref _active);

        public void Release() => Interlocked.Decrement(ref _active);
    }
}
