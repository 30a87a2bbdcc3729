using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Headers;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Gateway.LoopDetection;
using MicroDemo.Gateway.Resilience;
using MicroDemo.Gateway.Routing;
using MicroDemo.Gateway.Security;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>
/// Turns the effective configuration into <see cref="CompiledRoute"/>s. State that must outlive a reload
/// (balancer cursors and sessions, circuit breakers, pooled connections) comes from registries keyed by
/// what the route is, so an unchanged route keeps it.
/// </summary>
public sealed class RouteCompiler(
    LoadBalancerRegistry balancers,
    InstanceHealthRegistry instanceHealth,
    RouteResilienceRegistry resilience,
    DownstreamClientFactory clients,
    GatewayInstance self,
    IOptions<DynamicRoutingOptions> dynamicRouting,
    IOptions<GatewayLimitsOptions> limits,
    IOptions<TelemetryOptions> telemetry,
    ILogger<HeaderTransforms> headerLogger)
{
    public GatewayRuntime Compile(GatewayConfiguration configuration, DynamicRouting? previousDynamic)
    {
        var compiled = new List<CompiledRoute>(configuration.Routes.Count);
        var byKey = new Dictionary<string, CompiledRoute>(StringComparer.Ordinal);
        foreach (var route in configuration.Routes)
        {
            var compiledRoute = Compile(route, configuration.Global);
            compiled.Add(compiledRoute);
            if (route.Key is { Length: > 0 } key)
            {
                byKey.TryAdd(key, compiledRoute);
            }
        }

        var routeTable = new RouteTable<CompiledRoute>(compiled.Select(route => new RouteEntry<CompiledRoute>(
            route, UpstreamPathTemplate.Create(route.Options.UpstreamPathTemplate, route.Options.RouteIsCaseSensitive))
        {
            Methods = route.Options.UpstreamHttpMethods,
            UpstreamHost = route.Options.UpstreamHost,
            HeaderTemplates = UpstreamHeaderTemplates.Create(route.Options.UpstreamHeaderTemplates, route.Options.RouteIsCaseSensitive),
            Priority = route.Options.Priority,
        }));

        var aggregates = new RouteTable<CompiledAggregate>(configuration.Aggregates.Select(aggregate => new RouteEntry<CompiledAggregate>(
            new CompiledAggregate(aggregate, aggregate.RouteKeys.Select(key => byKey[key]).ToArray()),
            UpstreamPathTemplate.Create(aggregate.UpstreamPathTemplate, aggregate.RouteIsCaseSensitive))
        {
            Methods = aggregate.UpstreamHttpMethods,
            UpstreamHost = aggregate.UpstreamHost,
            HeaderTemplates = UpstreamHeaderTemplates.Create(aggregate.UpstreamHeaderTemplates, aggregate.RouteIsCaseSensitive),
            Priority = aggregate.Priority,
        }));

        var dynamic = configuration.DynamicRoutingEnabled ? new DynamicRouting(configuration, this, [self.ServiceName, .. dynamicRouting.Value.EffectiveExcludedServices]) : null;
        ForgetUnused(compiled, dynamic, previousDynamic);
        return new GatewayRuntime(configuration, routeTable, aggregates, byKey, dynamic);
    }

    /// <summary>Compiles one route; dynamic routes are compiled per service name on first use.</summary>
    public CompiledRoute Compile(GatewayRoute route, GatewayGlobalOptions global)
    {
        var baseUrl = global.BaseUrl;
        var dialScheme = route.DownstreamScheme switch
        {
            "ws" => "http",
            "wss" => "https",
            var scheme => scheme,
        };

        return new CompiledRoute
        {
            Options = route,
            DownstreamPath = DownstreamPathTemplate.Create(route.DownstreamPathTemplate),
            StaticInstances = route.ServiceName is null
                ? route.DownstreamHostAndPorts.Select(h => new ServiceInstance($"{h.Host}:{h.Port}", h.Host, h.Host, h.Port, [], new Dictionary<string, string>())).ToArray()
                : [],
            Balancer = balancers.Get(BalancerKey(route)),
            Health = instanceHealth.Get(BalancerKey(route).Key),
            Invoker = clients.GetInvoker(ClientSettings(route)),
            ForwardOptions = new DownstreamRequestOptions
            {
                RouteName = route.UpstreamPathTemplate,
                Version = route.DownstreamHttpVersion,
                VersionPolicy = route.DownstreamHttpVersionPolicy,
                MethodOverride = route.DownstreamHttpMethod is { Length: > 0 } method ? HttpMethod.Parse(method) : null,
                Timeout = route.Timeout,
                ForwardedHeaders = ForwardedHeadersWriter.ForRoute(global.AddForwardedHeaders, route.UpstreamHeaderTransform.Keys.Concat(route.AddHeadersToRequest.Keys)),
            },
            RequestHeaderTransforms = HeaderTransforms.Create(route.UpstreamHeaderTransform, HeaderTransformDirection.Request, baseUrl, headerLogger),
            ResponseHeaderTransforms = HeaderTransforms.Create(route.DownstreamHeaderTransform, HeaderTransformDirection.Response, baseUrl, headerLogger),
            Auth = RouteAuthMapping.From(route),
            IpSecurity = RouteAuthMapping.IpSecurity(route.Security),
            Resilience = route.Qos.Enabled ? resilience.GetOrCreate(route.Fingerprint, route.UpstreamPathTemplate, route.Qos) : null,
            DialScheme = dialScheme,
        };
    }

    // Ocelot shares a round-robin cursor among routes with the same ServiceName, and a session table among
    // routes with the same sticky cookie; the key says which state a route shares.
    internal static LoadBalancerKey BalancerKey(GatewayRoute route)
    {
        var options = new LoadBalancerOptions
        {
            Type = route.LoadBalancer.Type,
            Key = route.LoadBalancer.Key,
            Expiry = (int)route.LoadBalancer.Expiry.TotalMilliseconds,
        };
        var key = route.LoadBalancer.Type == LoadBalancerSettings.CookieStickySessions
            ? $"{LoadBalancerSettings.CookieStickySessions}:{route.LoadBalancer.Key}"
            : route.ServiceName ?? route.LoadBalancerKey;
        return new LoadBalancerKey(key, options);
    }

    private DownstreamClientSettings ClientSettings(GatewayRoute route) => new()
    {
        AllowAutoRedirect = route.HttpHandler.AllowAutoRedirect,
        MaxConnectionsPerServer = limits.Value.CapConnectionsPerServer(route.HttpHandler.MaxConnectionsPerServer),
        PooledConnectionLifetimeSeconds = (int)route.HttpHandler.PooledConnectionLifetime.TotalSeconds,
        UseCookieContainer = route.HttpHandler.UseCookieContainer,
        UseProxy = route.HttpHandler.UseProxy,
        // With OpenTelemetry tracing on, the services continue the gateway's trace (HttpHandlerOptions.UseTracing, always).
        UseTracing = route.HttpHandler.UseTracing || telemetry.Value.Tracing,
        DangerousAcceptAnyServerCertificateValidator = route.DangerousAcceptAnyServerCertificateValidator,
    };

    private void ForgetUnused(IReadOnlyList<CompiledRoute> routes, DynamicRouting? dynamic, DynamicRouting? previousDynamic)
    {
        var keys = routes.Select(r => BalancerKey(r.Options)).ToHashSet();
        var fingerprints = routes.Select(r => r.Options.Fingerprint).ToHashSet(StringComparer.Ordinal);
        var clientSettings = routes.Select(r => ClientSettings(r.Options)).ToHashSet();
        foreach (var route in (dynamic ?? previousDynamic)?.Compiled ?? [])
        {
            keys.Add(BalancerKey(route.Options));
            fingerprints.Add(route.Options.Fingerprint);
            clientSettings.Add(ClientSettings(route.Options));
        }

        balancers.Retain(keys.Contains);
        instanceHealth.RetainOnly(keys.Select(k => k.Key).ToHashSet(StringComparer.Ordinal));
        resilience.RetainOnly(fingerprints);
        clients.ReleaseUnused(clientSettings, drainDelay: TimeSpan.FromMinutes(2));
    }
}
