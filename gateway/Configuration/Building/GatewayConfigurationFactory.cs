using System.Collections.Immutable;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Turns a merged file configuration into the effective <see cref="GatewayConfiguration"/>. Tolerant by
/// design: a bad value is reported into the error list and replaced by its default, so one pass finds
/// every problem instead of stopping at the first.
/// </summary>
internal sealed class GatewayConfigurationFactory
{
    private readonly ICollection<ConfigurationError> _errors;
    private readonly CanonicalGlobal _global;

    private GatewayConfigurationFactory(CanonicalGlobal global, ICollection<ConfigurationError> errors)
    {
        _global = global;
        _errors = errors;
    }

    public static GatewayConfiguration Build(MergedFileConfiguration merged, IReadOnlyList<string> filePaths, ICollection<ConfigurationError> errors)
    {
        var global = CanonicalGlobal.Create(merged.Global, merged.GlobalSite, errors);
        var factory = new GatewayConfigurationFactory(global, errors);
        var dynamicRouteFactory = new DynamicRouteFactory(global, merged.GlobalSite);

        var routes = merged.Routes.Select((r, i) => factory.BuildRoute(r.Entry, r.Site, i)).ToImmutableArray();
        var dynamicRoutes = merged.DynamicRoutes
            .Select((r, i) => dynamicRouteFactory.Create(r.Entry, r.Site, i, errors))
            .ToImmutableArray();
        var aggregates = merged.Aggregates.Select((a, i) => BuildAggregate(a.Entry, a.Site, i)).ToImmutableArray();

        return new GatewayConfiguration(
            routes,
            dynamicRoutes,
            aggregates,
            BuildGlobal(merged.Global, global, merged.GlobalSite, errors),
            merged.Document,
            filePaths,
            dynamicRouteFactory);
    }

    private GatewayRoute BuildRoute(FileRoute file, ConfigurationSite site, int index)
    {
        var key = string.IsNullOrWhiteSpace(file.Key) ? null : file.Key;
        var template = file.UpstreamPathTemplate ?? "";
        var hosts = (file.DownstreamHostAndPorts ?? [])
            .Select(h => new DownstreamHostAndPort(h?.Host?.Trim() ?? "", h?.Port ?? 0))
            .ToImmutableArray();
        var loadBalancer = LoadBalancerSection.Resolve(
            LoadBalancerSection.Canonical(file.LoadBalancerOptions, site, _errors),
            GlobalGroups.For(_global.LoadBalancer, key));
        var loadBalancerKey = RouteKey(file, hosts, loadBalancer);
        var cacheKey = file.FileCacheOptions is null ? "CacheOptions" : "FileCacheOptions";

        var route = new GatewayRoute
        {
            Index = index,
            Site = site,
            Key = key,
            UpstreamPathTemplate = template,
            UpstreamHttpMethods = ScalarValues.Methods(file.UpstreamHttpMethod),
            UpstreamHost = string.IsNullOrWhiteSpace(file.UpstreamHost) ? null : file.UpstreamHost.Trim(),
            UpstreamHeaderTemplates = ScalarValues.HeaderMap(file.UpstreamHeaderTemplates),
            RouteIsCaseSensitive = file.RouteIsCaseSensitive ?? false,
            Priority = ScalarValues.Priority(file.Priority, template),
            DownstreamPathTemplate = file.DownstreamPathTemplate ?? "",
            // The global DownstreamScheme/HttpVersion are for dynamic routes only (Ocelot's rule).
            DownstreamScheme = ScalarValues.Scheme(file.DownstreamScheme, site, _errors),
            DownstreamHostAndPorts = hosts,
            ServiceName = string.IsNullOrWhiteSpace(file.ServiceName) ? null : file.ServiceName.Trim(),
            ServiceNamespace = string.IsNullOrWhiteSpace(file.ServiceNamespace) ? null : file.ServiceNamespace.Trim(),
            DownstreamHttpMethod = string.IsNullOrWhiteSpace(file.DownstreamHttpMethod) ? null : file.DownstreamHttpMethod.Trim().ToUpperInvariant(),
            DownstreamHttpVersion = ScalarValues.HttpVersion(file.DownstreamHttpVersion, site, _errors) ?? ScalarValues.DefaultHttpVersion,
            DownstreamHttpVersionPolicy = ScalarValues.VersionPolicy(file.DownstreamHttpVersionPolicy, site, _errors) ?? HttpVersionPolicy.RequestVersionOrLower,
            RequestIdKey = string.IsNullOrWhiteSpace(file.RequestIdKey) ? NullIfEmpty(_global.File.RequestIdKey) : file.RequestIdKey,
            Timeout = ScalarValues.Timeout(file.Timeout, _global.File.Timeout),
            Authentication = AuthenticationSection.Resolve(
                AuthenticationSection.Canonical(file.AuthenticationOptions, site, _errors),
                GlobalGroups.For(_global.Authentication, key)),
            RouteClaimsRequirement = ScalarValues.ExactMap(file.RouteClaimsRequirement),
            AddHeadersToRequest = ScalarValues.HeaderMap(file.AddHeadersToRequest),
            AddClaimsToRequest = ScalarValues.ExactMap(file.AddClaimsToRequest),
            AddQueriesToRequest = ScalarValues.ExactMap(file.AddQueriesToRequest),
            ChangeDownstreamPathTemplate = ScalarValues.ExactMap(file.ChangeDownstreamPathTemplate),
            UpstreamHeaderTransform = ScalarValues.Overlay(_global.UpstreamHeaderTransform, file.UpstreamHeaderTransform),
            DownstreamHeaderTransform = ScalarValues.Overlay(_global.DownstreamHeaderTransform, file.DownstreamHeaderTransform),
            RateLimit = RateLimitSection.Resolve(RateLimitSection.Merge(
                RateLimitSection.Canonical(file.RateLimitOptions, site, "RateLimitOptions", _errors),
                GlobalGroups.For(_global.RateLimit, key))),
            Cache = CacheSection.Resolve(
                CacheSection.Canonical(file.FileCacheOptions ?? file.CacheOptions, site, cacheKey, _errors),
                GlobalGroups.For(_global.Cache, key),
                loadBalancerKey),
            Qos = QosSection.Resolve(QosSection.Canonical(file.QoSOptions, site, _errors), GlobalGroups.For(_global.Qos, key)),
            LoadBalancer = loadBalancer,
            HttpHandler = HttpHandlerSection.Resolve(
                HttpHandlerSection.Canonical(file.HttpHandlerOptions, site, _errors),
                GlobalGroups.For(_global.HttpHandler, key)),
            Security = ScalarValues.Security(file.SecurityOptions, _global.Security),
            DelegatingHandlers = (file.DelegatingHandlers ?? []).Where(h => !string.IsNullOrWhiteSpace(h)).ToImmutableArray(),
            DangerousAcceptAnyServerCertificateValidator = file.DangerousAcceptAnyServerCertificateValidator ?? false,
            Metadata = ScalarValues.Overlay(_global.Metadata, file.Metadata),
            LoadBalancerKey = loadBalancerKey,
        };
        return route with { Fingerprint = Fingerprint.Of(route) };
    }

    /// <summary>Ocelot's route key (see <see cref="GatewayRoute.LoadBalancerKey"/>).</summary>
    private static string RouteKey(FileRoute file, IReadOnlyList<DownstreamHostAndPort> hosts, LoadBalancerSettings loadBalancer)
    {
        if (loadBalancer.Type == LoadBalancerSettings.CookieStickySessions)
        {
            return $"{LoadBalancerSettings.CookieStickySessions}:{loadBalancer.Key}";
        }

        var methods = string.Join(',', (file.UpstreamHttpMethod ?? []).Where(m => !string.IsNullOrWhiteSpace(m)));
        var upstreamHost = string.IsNullOrWhiteSpace(file.UpstreamHost) ? "no-host" : file.UpstreamHost;
        return string.Join('|',
            methods,
            file.UpstreamPathTemplate,
            upstreamHost,
            string.Join(',', hosts),
            file.ServiceNamespace,
            file.ServiceName,
            loadBalancer.Type,
            loadBalancer.Key);
    }

    private static GatewayAggregate BuildAggregate(FileAggregateRoute file, ConfigurationSite site, int index)
    {
        var template = file.UpstreamPathTemplate ?? "";
        var aggregate = new GatewayAggregate
        {
            Index = index,
            Site = site,
            UpstreamPathTemplate = template,
            UpstreamHost = string.IsNullOrWhiteSpace(file.UpstreamHost) ? null : file.UpstreamHost.Trim(),
            UpstreamHeaderTemplates = ScalarValues.HeaderMap(file.UpstreamHeaderTemplates),
            RouteIsCaseSensitive = file.RouteIsCaseSensitive ?? false,
            Priority = ScalarValues.Priority(file.Priority, template),
            UpstreamHttpMethods = file.UpstreamHttpMethod is { Count: > 0 } methods
                ? ScalarValues.Methods(methods)
                : ScalarValues.Methods(["GET"]),
            RouteKeys = (file.RouteKeys ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).ToImmutableArray(),
            RouteKeysConfig = (file.RouteKeysConfig ?? [])
                .Where(c => c is not null)
                .Select(c => new AggregateRouteKeyConfig(c.RouteKey ?? "", c.JsonPath ?? "", c.Parameter ?? ""))
                .ToImmutableArray(),
            Aggregator = string.IsNullOrWhiteSpace(file.Aggregator) ? null : file.Aggregator,
        };
        return aggregate with { Fingerprint = Fingerprint.Of(aggregate) };
    }

    private static GatewayGlobalOptions BuildGlobal(
        FileGlobalConfiguration file, CanonicalGlobal global, ConfigurationSite site, ICollection<ConfigurationError> errors)
    {
        var metadata = file.MetadataOptions;
        return new GatewayGlobalOptions
        {
            BaseUrl = string.IsNullOrWhiteSpace(file.BaseUrl) ? "http://localhost:5000" : file.BaseUrl.TrimEnd('/'),
            RequestIdKey = NullIfEmpty(file.RequestIdKey),
            ServiceDiscovery = ServiceDiscovery(file.ServiceDiscoveryProvider, site, errors),
            Security = global.Security,
            Metadata = global.Metadata,
            MetadataOptions = new MetadataSettings(
                metadata?.CurrentCulture ?? "",
                metadata?.NumberStyle ?? "Any",
                metadata?.Separators is { Count: > 0 } separators ? separators.ToImmutableArray() : [","],
                metadata?.StringSplitOption ?? "None",
                metadata?.TrimChars is { Count: > 0 } trimChars ? trimChars.ToImmutableArray() : [" "]),
            DynamicRoutingFallback = file.DynamicRoutingFallback ?? false,
            AddForwardedHeaders = file.AddForwardedHeaders ?? true,
        };
    }

    private static ServiceDiscoverySettings? ServiceDiscovery(FileServiceDiscoveryProvider? file, ConfigurationSite site, ICollection<ConfigurationError> errors)
    {
        if (file is null)
        {
            return null;
        }

        string[] supported = ["Consul", "PollConsul"];
        var type = supported.FirstOrDefault(t => string.Equals(t, file.Type?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (string.IsNullOrWhiteSpace(file.Type))
        {
            errors.Add(site.Error("ServiceDiscoveryProvider.Type", "is required; use Consul or PollConsul"));
        }
        else if (type is null)
        {
            errors.Add(site.Error("ServiceDiscoveryProvider.Type",
                $"'{file.Type}' is not supported by MicroDemo; use Consul or PollConsul (Eureka, Kube, PollKube and ServiceFabric are not available)"));
        }

        var scheme = string.IsNullOrWhiteSpace(file.Scheme) ? "http" : file.Scheme.Trim().ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            errors.Add(site.Error("ServiceDiscoveryProvider.Scheme", $"'{file.Scheme}' is not supported; use http or https"));
        }

        if (file.Port is < 0 or > 65535)
        {
            errors.Add(site.Error("ServiceDiscoveryProvider.Port", $"must be between 0 and 65535 (0 = Consul's 8500), got {file.Port}"));
        }

        if (file.PollingInterval < 0)
        {
            errors.Add(site.Error("ServiceDiscoveryProvider.PollingInterval", $"must be 0 or greater milliseconds, got {file.PollingInterval}"));
        }

        return new ServiceDiscoverySettings
        {
            Scheme = scheme,
            Host = string.IsNullOrWhiteSpace(file.Host) ? "localhost" : file.Host.Trim(),
            Port = file.Port is >= 0 and <= 65535 ? file.Port.Value : 0,
            Type = type ?? "Consul",
            Token = NullIfEmpty(file.Token),
            ConfigurationKey = string.IsNullOrWhiteSpace(file.ConfigurationKey) ? "InternalConfiguration" : file.ConfigurationKey,
            PollingInterval = TimeSpan.FromMilliseconds(Math.Max(0, file.PollingInterval ?? 0)),
            Namespace = file.Namespace ?? "",
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
