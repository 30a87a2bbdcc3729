namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// The validated, effective configuration the gateway runs with: deprecated names resolved, global
/// sections merged into each route and every default applied. Immutable; a reload produces a new instance.
/// </summary>
public sealed class GatewayConfiguration
{
    private readonly DynamicRouteFactory _dynamicRouteFactory;

    internal GatewayConfiguration(
        IReadOnlyList<GatewayRoute> routes,
        IReadOnlyList<GatewayDynamicRoute> dynamicRoutes,
        IReadOnlyList<GatewayAggregate> aggregates,
        GatewayGlobalOptions global,
        FileConfiguration source,
        IReadOnlyList<string> files,
        DynamicRouteFactory dynamicRouteFactory)
    {
        Routes = routes;
        DynamicRoutes = dynamicRoutes;
        Aggregates = aggregates;
        Global = global;
        Source = source;
        Files = files;
        _dynamicRouteFactory = dynamicRouteFactory;
    }

    /// <summary>Static routes in merged file order (main file first, then merged files by name).</summary>
    public IReadOnlyList<GatewayRoute> Routes { get; }

    /// <summary>The explicit <c>DynamicRoutes</c> entries.</summary>
    public IReadOnlyList<GatewayDynamicRoute> DynamicRoutes { get; }

    public IReadOnlyList<GatewayAggregate> Aggregates { get; }

    public GatewayGlobalOptions Global { get; }

    /// <summary>The merged document as read (what the admin API returns from <c>GET /configuration</c>).</summary>
    public FileConfiguration Source { get; }

    /// <summary>Full paths of every file this configuration was read from, main file first.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// True when requests may be routed as <c>/{service}/{rest}</c>: a service discovery provider with
    /// Host, Port &gt; 0 and Type is configured, and either there are no static routes (Ocelot's rule) or
    /// <see cref="GatewayGlobalOptions.DynamicRoutingFallback"/> is on.
    /// </summary>
    public bool DynamicRoutingEnabled =>
        Global.ServiceDiscovery is { Port: > 0 } discovery
        && !string.IsNullOrEmpty(discovery.Host)
        && (Routes.Count == 0 || Global.DynamicRoutingFallback);

    /// <summary>What a service without a <c>DynamicRoutes</c> entry gets, before its name and keys are filled in.</summary>
    public GatewayDynamicRoute DynamicRouteDefaults => _dynamicRouteFactory.Defaults;

    /// <summary>
    /// The effective options for one service in dynamic-routing mode: the matching <c>DynamicRoutes</c>
    /// entry (same ServiceName, and ServiceNamespace when the entry sets one), otherwise the global defaults.
    /// </summary>
    public GatewayDynamicRoute ResolveDynamicRoute(string serviceName, string? serviceNamespace = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        foreach (var route in DynamicRoutes)
        {
            if (string.Equals(route.ServiceName, serviceName, StringComparison.OrdinalIgnoreCase)
                && (route.ServiceNamespace is null || string.Equals(route.ServiceNamespace, serviceNamespace, StringComparison.OrdinalIgnoreCase)))
            {
                return route;
            }
        }

        return _dynamicRouteFactory.CreateDefault(serviceName, serviceNamespace);
    }
}
