namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Builds effective dynamic routes: explicit <c>DynamicRoutes</c> entries at load, and per-service
/// defaults (global sections only) on demand. The defaults are built once, so resolving a service on
/// the request path costs only a record copy.
/// </summary>
internal sealed class DynamicRouteFactory
{
    private readonly CanonicalGlobal _global;
    private readonly GatewayDynamicRoute _defaults;

    public DynamicRouteFactory(CanonicalGlobal global, ConfigurationSite globalSite)
    {
        _global = global;
        // Global values were already validated once; errors from this template build would repeat them.
        _defaults = Create(null, globalSite, -1, new List<ConfigurationError>(), serviceName: "", serviceNamespace: null);
    }

    public GatewayDynamicRoute Create(FileDynamicRoute file, ConfigurationSite site, int index, ICollection<ConfigurationError> errors) =>
        Create(file, site, index, errors, file.ServiceName?.Trim() ?? "", string.IsNullOrWhiteSpace(file.ServiceNamespace) ? null : file.ServiceNamespace.Trim());

    /// <summary>The global sections as a dynamic route, before a service's name and keys are filled in.</summary>
    public GatewayDynamicRoute Defaults => _defaults;

    public GatewayDynamicRoute CreateDefault(string serviceName, string? serviceNamespace)
    {
        var loadBalancerKey = LoadBalancerKey(serviceName, serviceNamespace, _defaults.LoadBalancer);
        return _defaults with
        {
            ServiceName = serviceName,
            ServiceNamespace = serviceNamespace,
            LoadBalancerKey = loadBalancerKey,
            Cache = string.IsNullOrWhiteSpace(_global.Cache?.Region) ? _defaults.Cache with { Region = loadBalancerKey } : _defaults.Cache,
            // The defaults differ per service only by name and key, so those extend the template's fingerprint.
            Fingerprint = $"{_defaults.Fingerprint}:{loadBalancerKey}",
        };
    }

    private GatewayDynamicRoute Create(
        FileDynamicRoute? file, ConfigurationSite site, int index, ICollection<ConfigurationError> errors, string serviceName, string? serviceNamespace)
    {
        var key = string.IsNullOrWhiteSpace(file?.Key) ? null : file.Key;
        var loadBalancer = LoadBalancerSection.Resolve(
            LoadBalancerSection.Canonical(file?.LoadBalancerOptions, site, errors),
            GlobalGroups.For(_global.LoadBalancer, key));
        var loadBalancerKey = LoadBalancerKey(serviceName, serviceNamespace, loadBalancer);
        var rateLimitKey = file?.RateLimitRule is null ? "RateLimitOptions" : "RateLimitRule";

        var route = new GatewayDynamicRoute
        {
            Index = index,
            Site = site,
            ServiceName = serviceName,
            ServiceNamespace = serviceNamespace,
            Key = key,
            DownstreamScheme = ScalarValues.Scheme(file?.DownstreamScheme, site, errors) ?? _global.DownstreamScheme,
            DownstreamHttpVersion = ScalarValues.HttpVersion(file?.DownstreamHttpVersion, site, errors)
                ?? _global.DownstreamHttpVersion ?? ScalarValues.DefaultHttpVersion,
            DownstreamHttpVersionPolicy = ScalarValues.VersionPolicy(file?.DownstreamHttpVersionPolicy, site, errors)
                ?? _global.DownstreamHttpVersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower,
            Timeout = ScalarValues.Timeout(file?.Timeout, _global.File.Timeout),
            Authentication = AuthenticationSection.Resolve(
                AuthenticationSection.Canonical(file?.AuthenticationOptions, site, errors),
                GlobalGroups.For(_global.Authentication, key)),
            RateLimit = RateLimitSection.Resolve(RateLimitSection.Merge(
                RateLimitSection.Canonical(file?.RateLimitRule ?? file?.RateLimitOptions, site, rateLimitKey, errors),
                GlobalGroups.For(_global.RateLimit, key))),
            Cache = CacheSection.Resolve(
                CacheSection.Canonical(file?.CacheOptions, site, "CacheOptions", errors),
                GlobalGroups.For(_global.Cache, key),
                loadBalancerKey),
            Qos = QosSection.Resolve(QosSection.Canonical(file?.QoSOptions, site, errors), GlobalGroups.For(_global.Qos, key)),
            LoadBalancer = loadBalancer,
            HttpHandler = HttpHandlerSection.Resolve(
                HttpHandlerSection.Canonical(file?.HttpHandlerOptions, site, errors),
                GlobalGroups.For(_global.HttpHandler, key)),
            Metadata = ScalarValues.Overlay(_global.Metadata, file?.Metadata),
            LoadBalancerKey = loadBalancerKey,
        };
        return route with { Fingerprint = Fingerprint.Of(route) };
    }

    private static string LoadBalancerKey(string serviceName, string? serviceNamespace, LoadBalancerSettings loadBalancer) =>
        loadBalancer.Type == LoadBalancerSettings.CookieStickySessions
            ? $"{LoadBalancerSettings.CookieStickySessions}:{loadBalancer.Key}"
            : string.IsNullOrEmpty(serviceNamespace) ? serviceName : $"{serviceNamespace}.{serviceName}";
}
