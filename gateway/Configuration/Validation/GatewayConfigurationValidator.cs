using System.Text.RegularExpressions;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Rules that look at whole entries or across entries (single values are checked while the effective
/// configuration is built). Every rule adds to the error list; nothing stops at the first problem.
/// Covers Ocelot's validator plus what it leaves to request time (service discovery, transforms, claims).
/// </summary>
public static partial class GatewayConfigurationValidator
{
    public const string AuthenticationProvidersSetting = "Gateway:Authentication:Providers";

    private static readonly string[] KnownPlaceholders = ["BaseUrl", "DownstreamBaseUrl", "RemoteIpAddress", "TraceId", "UpstreamHost"];

    [GeneratedRegex(@"\{(?<name>[^{}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex TemplatePlaceholder();

    [GeneratedRegex(@"\{(?<name>[A-Za-z][A-Za-z0-9]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex TransformPlaceholder();

    [GeneratedRegex(@"^\s*Claims\[[^\]]+\]\s*(>\s*value\s*(\[\s*\d+\s*\])?\s*(>\s*\S.*)?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ClaimExpression();

    [GeneratedRegex(@"^[A-Za-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex MethodToken();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*:", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SchemePrefix();

    public static void Validate(
        MergedFileConfiguration merged,
        GatewayConfiguration configuration,
        IReadOnlySet<string> authenticationSchemes,
        ICollection<ConfigurationError> errors)
    {
        ValidateGlobal(merged, configuration, authenticationSchemes, errors);

        foreach (var route in configuration.Routes)
        {
            var file = merged.Routes[route.Index].Entry;
            ValidateTemplate(route.Site, "UpstreamPathTemplate", route.UpstreamPathTemplate, errors);
            ValidateTemplate(route.Site, "DownstreamPathTemplate", route.DownstreamPathTemplate, errors);
            ValidateDownstream(route, configuration, errors);
            ValidateAuthentication(route.Site, file.AuthenticationOptions, authenticationSchemes, errors);
            ValidateTransforms(route.Site, "UpstreamHeaderTransform", file.UpstreamHeaderTransform, errors);
            ValidateTransforms(route.Site, "DownstreamHeaderTransform", file.DownstreamHeaderTransform, errors);
            ValidateClaims(route, errors);
            ValidateDuplicates(route, configuration, errors);
        }

        foreach (var route in configuration.DynamicRoutes)
        {
            var file = merged.DynamicRoutes[route.Index].Entry;
            if (string.IsNullOrEmpty(route.ServiceName))
            {
                errors.Add(route.Site.Error("ServiceName", "is required for a dynamic route"));
            }
            else if (configuration.DynamicRoutes.FirstOrDefault(other => other.Index < route.Index && SameService(other, route)) is { } first)
            {
                errors.Add(route.Site.Error("ServiceName", $"'{route.ServiceName}' is already configured by {Describe(first.Site, route.Site)}"));
            }

            if (configuration.Global.ServiceDiscovery is null)
            {
                errors.Add(route.Site.Error("ServiceName", MissingDiscovery));
            }

            ValidateAuthentication(route.Site, file.AuthenticationOptions, authenticationSchemes, errors);
        }

        foreach (var aggregate in configuration.Aggregates)
        {
            ValidateAggregate(aggregate, configuration, merged, errors);
        }
    }

    private const string MissingDiscovery =
        "requires GlobalConfiguration.ServiceDiscoveryProvider with Type (Consul or PollConsul), Host and Port; none is configured";

    private static void ValidateGlobal(
        MergedFileConfiguration merged, GatewayConfiguration configuration, IReadOnlySet<string> schemes, ICollection<ConfigurationError> errors)
    {
        var global = merged.Global;
        var site = merged.GlobalSite;
        ValidateAuthentication(site, global.AuthenticationOptions, schemes, errors);
        ValidateTransforms(site, "UpstreamHeaderTransform", global.UpstreamHeaderTransform, errors);
        ValidateTransforms(site, "DownstreamHeaderTransform", global.DownstreamHeaderTransform, errors);
        if (configuration.Global.DynamicRoutingFallback && configuration.Global.ServiceDiscovery is not { Port: > 0 })
        {
            errors.Add(site.Error("DynamicRoutingFallback", "requires ServiceDiscoveryProvider with Type, Host and a Port greater than 0"));
        }

        // Ocelot accepts such a file and answers 404 to everything: one stray "{}" saved over ocelot.json took the whole
        // gateway down. Refused, the file keeps the configuration that was serving.
        if (configuration.Routes.Count == 0 && !configuration.DynamicRoutingEnabled)
        {
            errors.Add(new ConfigurationError(site.File, "(document)", "Routes",
                "is empty and dynamic routing is off (no GlobalConfiguration.ServiceDiscoveryProvider with Type, Host and Port), "
                + "so every request would get 404; add a route, or a service discovery provider to route /{service}/... dynamically"));
        }
    }

    private static void ValidateTemplate(ConfigurationSite site, string key, string template, ICollection<ConfigurationError> errors)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            errors.Add(site.Error(key, "cannot be empty"));
            return;
        }

        if (SchemePrefix().IsMatch(template) || template.Contains("://", StringComparison.Ordinal))
        {
            errors.Add(site.Error(key, $"'{template}' contains a scheme; put only the path here (the scheme goes in DownstreamScheme)"));
        }
        else if (!template.StartsWith('/'))
        {
            errors.Add(site.Error(key, $"'{template}' does not start with a forward slash '/'"));
        }

        var path = template.Split('?', 2)[0];
        if (path.Contains("//", StringComparison.Ordinal) && !template.Contains("://", StringComparison.Ordinal))
        {
            errors.Add(site.Error(key, $"'{template}' contains a double forward slash '//', which cannot be matched"));
        }

        var names = TemplatePlaceholder().Matches(template).Select(m => m.Groups["name"].Value).ToList();
        if (names.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(site.Error(key, $"'{template}' has an empty placeholder '{{}}'"));
        }

        foreach (var duplicate in names.Where(n => n.Length > 0).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add(site.Error(key, $"'{template}' has duplicated placeholder '{{{duplicate.Key}}}'"));
        }
    }

    private static void ValidateDownstream(GatewayRoute route, GatewayConfiguration configuration, ICollection<ConfigurationError> errors)
    {
        var site = route.Site;
        if (route.ServiceName is not null)
        {
            if (configuration.Global.ServiceDiscovery is null)
            {
                errors.Add(site.Error("ServiceName", $"'{route.ServiceName}' {MissingDiscovery}"));
            }
        }
        else if (route.DownstreamHostAndPorts.Count == 0)
        {
            errors.Add(site.Error("DownstreamHostAndPorts", "must list at least one { \"Host\", \"Port\" } when ServiceName is not set"));
        }

        for (var i = 0; i < route.DownstreamHostAndPorts.Count; i++)
        {
            var (host, port) = route.DownstreamHostAndPorts[i];
            if (host.Length == 0)
            {
                errors.Add(site.Error($"DownstreamHostAndPorts[{i}].Host", "must not be empty"));
            }
            else if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                errors.Add(site.Error($"DownstreamHostAndPorts[{i}].Host", $"'{host}' is not a host name or IP address (no scheme, path or port)"));
            }

            if (port is < 1 or > 65535)
            {
                errors.Add(site.Error($"DownstreamHostAndPorts[{i}].Port", $"must be between 1 and 65535, got {port}"));
            }
        }

        if (route.DownstreamHttpMethod is { } method && !MethodToken().IsMatch(method))
        {
            errors.Add(site.Error("DownstreamHttpMethod", $"'{method}' is not an HTTP method name"));
        }

        foreach (var upstreamMethod in route.UpstreamHttpMethods.Where(m => !MethodToken().IsMatch(m)))
        {
            errors.Add(site.Error("UpstreamHttpMethod", $"'{upstreamMethod}' is not an HTTP method name"));
        }
    }

    private static void ValidateAuthentication(
        ConfigurationSite site, FileAuthenticationOptions? options, IReadOnlySet<string> schemes, ICollection<ConfigurationError> errors)
    {
        if (options is null)
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(options.AuthenticationProviderKey) && !schemes.Contains(options.AuthenticationProviderKey))
        {
            errors.Add(site.Error("AuthenticationOptions.AuthenticationProviderKey", UnknownScheme(options.AuthenticationProviderKey)));
        }

        foreach (var scheme in (options.AuthenticationProviderKeys ?? []).Where(k => !string.IsNullOrWhiteSpace(k) && !schemes.Contains(k)))
        {
            errors.Add(site.Error("AuthenticationOptions.AuthenticationProviderKeys", UnknownScheme(scheme)));
        }
    }

    private static string UnknownScheme(string scheme) =>
        $"AuthenticationProviderKey '{scheme}' is not configured in the gateway settings ({AuthenticationProvidersSetting})";

    private static void ValidateTransforms(ConfigurationSite site, string key, Dictionary<string, string>? transforms, ICollection<ConfigurationError> errors)
    {
        foreach (var (header, expression) in transforms ?? [])
        {
            var entryKey = $"{key}.{header}";
            if (string.IsNullOrWhiteSpace(header))
            {
                errors.Add(site.Error(key, "has an entry with an empty header name"));
            }

            var value = expression ?? "";
            var comma = value.IndexOf(',', StringComparison.Ordinal);
            if (comma == 0)
            {
                errors.Add(site.Error(entryKey, $"'{value}' has an empty find part; use \"find, replace\" or a plain value"));
            }

            foreach (var name in TransformPlaceholder().Matches(value).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal))
            {
                if (!KnownPlaceholders.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add(site.Error(entryKey, $"'{value}' uses unknown placeholder '{{{name}}}'; known: {string.Join(", ", KnownPlaceholders.Select(p => "{" + p + "}"))}"));
                }
            }
        }
    }

    private static void ValidateClaims(GatewayRoute route, ICollection<ConfigurationError> errors)
    {
        Check("AddHeadersToRequest", route.AddHeadersToRequest);
        Check("AddClaimsToRequest", route.AddClaimsToRequest);
        Check("AddQueriesToRequest", route.AddQueriesToRequest);
        Check("ChangeDownstreamPathTemplate", route.ChangeDownstreamPathTemplate);

        foreach (var placeholder in route.ChangeDownstreamPathTemplate.Keys)
        {
            if (!route.DownstreamPathTemplate.Contains("{" + placeholder + "}", StringComparison.Ordinal))
            {
                errors.Add(route.Site.Error($"ChangeDownstreamPathTemplate.{placeholder}",
                    $"placeholder '{{{placeholder}}}' does not appear in DownstreamPathTemplate '{route.DownstreamPathTemplate}'"));
            }
        }

        void Check(string key, IReadOnlyDictionary<string, string> expressions)
        {
            foreach (var (name, expression) in expressions)
            {
                if (!ClaimExpression().IsMatch(expression))
                {
                    errors.Add(route.Site.Error($"{key}.{name}",
                        $"'{expression}' is not a claim expression; use \"Claims[type] > value\" or \"Claims[type] > value[index] > delimiter\""));
                }
            }
        }
    }

    private static void ValidateDuplicates(GatewayRoute route, GatewayConfiguration configuration, ICollection<ConfigurationError> errors)
    {
        var earlier = configuration.Routes.Take(route.Index).FirstOrDefault(other => SameUpstream(
            other.UpstreamPathTemplate, other.UpstreamHost, other.UpstreamHeaderTemplates, other.UpstreamHttpMethods, other.RouteIsCaseSensitive,
            route.UpstreamPathTemplate, route.UpstreamHost, route.UpstreamHeaderTemplates, route.UpstreamHttpMethods, route.RouteIsCaseSensitive));
        if (earlier is not null)
        {
            errors.Add(route.Site.Error("UpstreamPathTemplate",
                $"duplicates {Describe(earlier.Site, route.Site)}: same template, UpstreamHost and header templates with overlapping UpstreamHttpMethod"));
        }

        foreach (var aggregate in configuration.Aggregates.Where(a => SameUpstream(
            a.UpstreamPathTemplate, a.UpstreamHost, a.UpstreamHeaderTemplates, a.UpstreamHttpMethods, a.RouteIsCaseSensitive,
            route.UpstreamPathTemplate, route.UpstreamHost, route.UpstreamHeaderTemplates, route.UpstreamHttpMethods, route.RouteIsCaseSensitive)))
        {
            errors.Add(route.Site.Error("UpstreamPathTemplate",
                $"duplicates {Describe(aggregate.Site, route.Site)}: a route and an aggregate cannot share a template, UpstreamHost and method"));
        }
    }

    private static void ValidateAggregate(
        GatewayAggregate aggregate, GatewayConfiguration configuration, MergedFileConfiguration merged, ICollection<ConfigurationError> errors)
    {
        var site = aggregate.Site;
        ValidateTemplate(site, "UpstreamPathTemplate", aggregate.UpstreamPathTemplate, errors);

        var earlier = configuration.Aggregates.Take(aggregate.Index).FirstOrDefault(other => SameUpstream(
            other.UpstreamPathTemplate, other.UpstreamHost, other.UpstreamHeaderTemplates, other.UpstreamHttpMethods, other.RouteIsCaseSensitive,
            aggregate.UpstreamPathTemplate, aggregate.UpstreamHost, aggregate.UpstreamHeaderTemplates, aggregate.UpstreamHttpMethods, aggregate.RouteIsCaseSensitive));
        if (earlier is not null)
        {
            errors.Add(site.Error("UpstreamPathTemplate", $"duplicates {Describe(earlier.Site, site)}"));
        }

        if (aggregate.RouteKeys.Count == 0)
        {
            errors.Add(site.Error("RouteKeys", "must list the Key of at least one route"));
        }

        foreach (var key in aggregate.RouteKeys)
        {
            var routes = configuration.Routes.Where(r => r.Key == key).ToList();
            if (routes.Count == 0)
            {
                errors.Add(site.Error("RouteKeys", $"no route has Key '{key}'"));
            }
            else if (routes.Count > 1)
            {
                errors.Add(site.Error("RouteKeys", $"Key '{key}' is used by {routes.Count} routes ({string.Join(", ", routes.Select(r => Describe(r.Site, site)))}); an aggregated Key must be unique"));
            }

            foreach (var route in routes.Where(r => !string.IsNullOrWhiteSpace(merged.Routes[r.Index].Entry.RequestIdKey)))
            {
                errors.Add(site.Error("RouteKeys", $"{Describe(route.Site, site)} (Key '{key}') has a RequestIdKey, which aggregated routes cannot have"));
            }
        }

        foreach (var config in aggregate.RouteKeysConfig.Where(c => !aggregate.RouteKeys.Contains(c.RouteKey, StringComparer.Ordinal)))
        {
            errors.Add(site.Error("RouteKeysConfig.RouteKey", $"'{config.RouteKey}' is not listed in RouteKeys"));
        }
    }

    private static bool SameUpstream(
        string templateA, string? hostA, IReadOnlyDictionary<string, string> headersA, IReadOnlySet<string> methodsA, bool caseSensitiveA,
        string templateB, string? hostB, IReadOnlyDictionary<string, string> headersB, IReadOnlySet<string> methodsB, bool caseSensitiveB)
    {
        var templateComparison = caseSensitiveA && caseSensitiveB ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return string.Equals(templateA, templateB, templateComparison)
            && string.Equals(hostA, hostB, StringComparison.OrdinalIgnoreCase)
            && headersA.Count == headersB.Count
            && headersA.All(h => headersB.TryGetValue(h.Key, out var value) && value == h.Value)
            && (methodsA.Count == 0 || methodsB.Count == 0 || methodsA.Overlaps(methodsB));
    }

    private static bool SameService(GatewayDynamicRoute a, GatewayDynamicRoute b) =>
        string.Equals(a.ServiceName, b.ServiceName, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.ServiceNamespace, b.ServiceNamespace, StringComparison.OrdinalIgnoreCase);

    /// <summary>Names another entry, adding its file when it lives in a different file.</summary>
    private static string Describe(ConfigurationSite other, ConfigurationSite current) =>
        other.File == current.File ? other.Location : $"{other.Location} in {other.File}";
}
