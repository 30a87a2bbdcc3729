using System.Collections.Concurrent;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>
/// The balancers of the running configuration. A reload that keeps a route's <see cref="LoadBalancerKey"/>
/// gets the same balancer back, so round-robin cursors, open-lease counts and sticky sessions survive it.
/// </summary>
public sealed class LoadBalancerRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<LoadBalancerKey, ILoadBalancer> _balancers = new();
    private readonly ConcurrentDictionary<(string CookieName, int Expiry), StickySessionTable> _sessionTables = new();
    private readonly Lock _retainGate = new();

    /// <summary>The balancer for <paramref name="key"/>, created on first use.</summary>
    /// <exception cref="ArgumentException">The options name no known balancer type.</exception>
    public ILoadBalancer Get(LoadBalancerKey key) =>
        _balancers.TryGetValue(key, out var balancer) ? balancer : _balancers.GetOrAdd(key, Create(key.Options));

    /// <summary>
    /// Drops balancers the new configuration no longer produces. Call after a reload, e.g.
    /// <c>Retain(newStaticKeys.Contains)</c>; for dynamic routes keep a key when its options are still the
    /// ones configured for that service name.
    /// </summary>
    public void Retain(Func<LoadBalancerKey, bool> stillConfigured)
    {
        lock (_retainGate)
        {
            foreach (var key in _balancers.Keys)
            {
                if (!stillConfigured(key))
                {
                    _balancers.TryRemove(key, out _);
                }
            }

            var tablesInUse = _balancers.Values.OfType<CookieStickySessions>().Select(b => b.Sessions).ToHashSet();
            foreach (var (tableKey, table) in _sessionTables)
            {
                if (!tablesInUse.Contains(table))
                {
                    _sessionTables.TryRemove(tableKey, out _);
                }
            }
        }
    }

    private ILoadBalancer Create(LoadBalancerOptions options) => options.Type switch
    {
        LoadBalancerOptions.NoLoadBalancerType => NoLoadBalancer.Instance,
        LoadBalancerOptions.RoundRobinType => new RoundRobin(),
        LoadBalancerOptions.LeastConnectionType => new LeastConnection(),
        // Keyed by cookie name, not by route: every route using the same cookie shares one session table, as in Ocelot.
        LoadBalancerOptions.CookieStickySessionsType => new CookieStickySessions(_sessionTables.GetOrAdd(
            (options.Key!, options.Expiry),
            static (table, time) => new StickySessionTable(table.CookieName, TimeSpan.FromMilliseconds(table.Expiry), time),
            time)),
        _ => throw new ArgumentException(
            $"LoadBalancerOptions.Type '{options.Type}' is not a load balancer; use one of {string.Join(", ", LoadBalancerOptions.SupportedTypes)} (case-sensitive).",
            nameof(options)),
    };
}
