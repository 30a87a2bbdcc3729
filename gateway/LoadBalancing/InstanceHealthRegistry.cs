using System.Collections.Concurrent;
using MicroDemo.Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>
/// The <see cref="InstanceHealth"/> of every balanced service, keyed like the balancers, so that routes to the same
/// service share what they learnt about its instances and a reload keeps it.
/// </summary>
public sealed class InstanceHealthRegistry(IOptions<PassiveHealthOptions> options, TimeProvider time, ILogger<InstanceHealth> logger, GatewayMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<string, InstanceHealth> _services = new(StringComparer.Ordinal);

    /// <summary>Null when passive health is switched off.</summary>
    public InstanceHealth? Get(string balancerKey) => options.Value.Enabled
        ? _services.GetOrAdd(balancerKey, key => new InstanceHealth(key, options.Value, time, logger, metrics))
        : null;

    /// <summary>Every balanced service's passive health, by balancer key (a service name or a static route's key).</summary>
    public IEnumerable<KeyValuePair<string, InstanceHealth>> Services => _services;

    /// <summary>Forgets services no configured route balances over any more.</summary>
    public void RetainOnly(IReadOnlySet<string> balancerKeys)
    {
        foreach (var key in _services.Keys)
        {
            if (!balancerKeys.Contains(key))
            {
                _services.TryRemove(key, out _);
            }
        }
    }
}
