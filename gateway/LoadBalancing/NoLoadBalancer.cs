using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>Ocelot's default: always the first instance.</summary>
public sealed class NoLoadBalancer : ILoadBalancer
{
    public static readonly NoLoadBalancer Instance = new();

    private NoLoadBalancer()
    {
    }

    public ValueTask<Lease?> LeaseAsync(HttpContext context, IReadOnlyList<ServiceInstance> instances) =>
        ValueTask.FromResult(instances.Count == 0 ? null : new Lease(instances[0]));
}
