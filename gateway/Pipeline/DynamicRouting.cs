using System.Collections.Concurrent;
using MicroDemo.Gateway.Configuration;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>
/// Dynamic routing (<c>/{service}/{rest}</c>): a route per service name, compiled on first use from the
/// matching DynamicRoutes entry or the global defaults, and kept for this configuration only.
/// Only the route's options are cached; the downstream path is built per request (Ocelot 24.1+ reuses the
/// first request's path — not here).
/// Next to static routes (<c>DynamicRoutingFallback</c>), a service that a static route already names is not
/// reachable dynamically: its static routes' authentication, limits and path mapping cannot be bypassed.
/// Neither are <paramref name="excludedServices"/>: the gateway's own name (a request to it would come straight
/// back) and the infrastructure of <see cref="DynamicRoutingOptions.ExcludedServices"/>.
/// </summary>
public sealed class DynamicRouting(GatewayConfiguration configuration, RouteCompiler compiler, IEnumerable<string> excludedServices)
{
    private readonly ConcurrentDictionary<string, CompiledRoute> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _unreachable = configuration.Routes
        .Select(route => route.ServiceName)
        .OfType<string>()
        .Concat(excludedServices)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public bool Allows(string serviceName) => !_unreachable.Contains(serviceName);

    public IEnumerable<CompiledRoute> Compiled => _routes.Values;

    public CompiledRoute RouteFor(string serviceNamespace, string serviceName) =>
        _routes.GetOrAdd(serviceNamespace.Length == 0 ? serviceName : $"{serviceNamespace}.{serviceName}",
            static (_, args) => args.Compiler.Compile(AsRoute(args.Configuration, args.Namespace, args.Name), args.Configuration.Global),
            (Compiler: compiler, Configuration: configuration, Namespace: serviceNamespace, Name: serviceName));

    private static GatewayRoute AsRoute(GatewayConfiguration configuration, string serviceNamespace, string serviceName)
    {
        var dynamic = configuration.ResolveDynamicRoute(serviceName, serviceNamespace.Length == 0 ? null : serviceNamespace);
        var none = new Dictionary<string, string>();
        return new GatewayRoute
        {
            Index = dynamic.Index,
            Site = dynamic.Site,
            Key = dynamic.Key,
            UpstreamPathTemplate = $"/{serviceName}/{{everything}}",
            UpstreamHttpMethods = new HashSet<string>(),
            UpstreamHost = null,
            UpstreamHeaderTemplates = none,
            RouteIsCaseSensitive = false,
            Priority = 0,
            DownstreamPathTemplate = "/{everything}",
            DownstreamScheme = dynamic.DownstreamScheme,
            DownstreamHostAndPorts = [],
            ServiceName = serviceName,
            ServiceNamespace = dynamic.ServiceNamespace,
            DownstreamHttpMethod = null,
            DownstreamHttpVersion = dynamic.DownstreamHttpVersion,
            DownstreamHttpVersionPolicy = dynamic.DownstreamHttpVersionPolicy,
            RequestIdKey = configuration.Global.RequestIdKey,
            Timeout = dynamic.Timeout,
            Authentication = dynamic.Authentication,
            RouteClaimsRequirement = none,
            AddHeadersToRequest = none,
            AddClaimsToRequest = none,
            AddQueriesToRequest = none,
            ChangeDownstreamPathTemplate = none,
            UpstreamHeaderTransform = none,
            DownstreamHeaderTransform = none,
            RateLimit = dynamic.RateLimit,
            Cache = dynamic.Cache,
            Qos = dynamic.Qos,
            LoadBalancer = dynamic.LoadBalancer,
            HttpHandler = dynamic.HttpHandler,
            Security = configuration.Global.Security,
            DelegatingHandlers = [],
            DangerousAcceptAnyServerCertificateValidator = false,
            Metadata = dynamic.Metadata,
            LoadBalancerKey = dynamic.LoadBalancerKey,
            Fingerprint = "dynamic:" + dynamic.Fingerprint + ":" + serviceName,
        };
    }
}
