using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>The instance chosen for one request; disposing it tells the balancer the call has ended.</summary>
public sealed class Lease(ServiceInstance instance, Action? release = null) : IDisposable
{
    private Action? _release = release;

    public ServiceInstance Instance { get; } = instance;

    /// <summary>Idempotent: a second dispose does not release twice.</summary>
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
