using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Routing;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>One loaded configuration, compiled: what every request reads, swapped whole on reload.</summary>
public sealed class GatewayRuntime(
    GatewayConfiguration configuration,
    RouteTable<CompiledRoute> routes,
    RouteTable<CompiledAggregate> aggregates,
    IReadOnlyDictionary<string, CompiledRoute> routesByKey,
    DynamicRouting? dynamicRouting)
{
    public GatewayConfiguration Configuration { get; } = configuration;

    public RouteTable<CompiledRoute> Routes { get; } = routes;

    public RouteTable<CompiledAggregate> Aggregates { get; } = aggregates;

    /// <summary>Routes with a Key, for aggregates.</summary>
    public IReadOnlyDictionary<string, CompiledRoute> RoutesByKey { get; } = routesByKey;

    /// <summary>Null unless dynamic routing is on (no static routes, or DynamicRoutingFallback).</summary>
    public DynamicRouting? DynamicRouting { get; } = dynamicRouting;
}

/// <summary>An aggregate route and the routes it combines, in order.</summary>
public sealed record CompiledAggregate(GatewayAggregate Options, IReadOnlyList<CompiledRoute> Parts);
