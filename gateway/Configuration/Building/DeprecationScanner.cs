namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Lists every deprecated key a configuration uses, one line each, naming the file, the entry, the key and
/// its replacement. The values themselves are resolved by the section resolvers.
/// </summary>
internal static class DeprecationScanner
{
    public static void Scan(IReadOnlyList<(string FileName, FileConfiguration Content)> files, MergedFileConfiguration merged, ICollection<string> warnings)
    {
        foreach (var (fileName, content) in files)
        {
            Report(warnings, new ConfigurationSite(fileName, "(root)"), "", content.ReRoutes, "ReRoutes", "Routes", content.Routes);
        }

        foreach (var (route, site) in merged.Routes)
        {
            Report(warnings, site, "", route.FileCacheOptions, "FileCacheOptions", "CacheOptions", route.CacheOptions);

            ScanBase(route, site, "", warnings);
        }

        foreach (var (route, site) in merged.DynamicRoutes)
        {
            Report(warnings, site, "", route.RateLimitRule, "RateLimitRule", "RateLimitOptions", route.RateLimitOptions);

            ScanBase(route, site, "", warnings);
            ScanRateLimit(route.RateLimitRule, site, "RateLimitRule.", warnings);
        }

        if (merged.Document.GlobalConfiguration is { } global)
        {
            var site = merged.GlobalSite;
            ScanAuthentication(global.AuthenticationOptions, site, "AuthenticationOptions.", warnings);
            ScanQos(global.QoSOptions, site, "QoSOptions.", warnings);
            ScanRateLimit(global.RateLimitOptions, site, "RateLimitOptions.", warnings);
        }
    }

    private static void ScanBase(FileRouteBase route, ConfigurationSite site, string prefix, ICollection<string> warnings)
    {
        ScanAuthentication(route.AuthenticationOptions, site, prefix + "AuthenticationOptions.", warnings);
        ScanQos(route.QoSOptions, site, prefix + "QoSOptions.", warnings);
        ScanRateLimit(route.RateLimitOptions, site, prefix + "RateLimitOptions.", warnings);
    }

    private static void ScanAuthentication(FileAuthenticationOptions? options, ConfigurationSite site, string prefix, ICollection<string> warnings)
    {
        Report(warnings, site, prefix, options?.AuthenticationProviderKey, "AuthenticationProviderKey", "AuthenticationProviderKeys", options?.AuthenticationProviderKeys);
    }

    private static void ScanQos(FileQoSOptions? options, ConfigurationSite site, string prefix, ICollection<string> warnings)
    {
        if (options is null)
        {
            return;
        }

        Report(warnings, site, prefix, options.ExceptionsAllowedBeforeBreaking, "ExceptionsAllowedBeforeBreaking", "MinimumThroughput", options.MinimumThroughput);
        Report(warnings, site, prefix, options.DurationOfBreak, "DurationOfBreak", "BreakDuration", options.BreakDuration);
        Report(warnings, site, prefix, options.TimeoutValue, "TimeoutValue", "Timeout", options.Timeout);
    }

    private static void ScanRateLimit(FileRateLimitOptions? options, ConfigurationSite site, string prefix, ICollection<string> warnings)
    {
        if (options is null)
        {
            return;
        }

        Report(warnings, site, prefix, options.PeriodTimespan, "PeriodTimespan", "Wait", options.Wait);
        Report(warnings, site, prefix, options.QuotaExceededMessage, "QuotaExceededMessage", "QuotaMessage", options.QuotaMessage);
        Report(warnings, site, prefix, options.HttpStatusCode, "HttpStatusCode", "StatusCode", options.StatusCode);
        Report(warnings, site, prefix, options.DisableRateLimitHeaders, "DisableRateLimitHeaders", "EnableHeaders (negated)", options.EnableHeaders);
        Report(warnings, site, prefix, options.RateLimitCounterPrefix, "RateLimitCounterPrefix", "KeyPrefix", options.KeyPrefix);
    }

    private static void Report(
        ICollection<string> warnings, ConfigurationSite site, string prefix, object? deprecated, string deprecatedKey, string replacement, object? current)
    {
        if (deprecated is not null)
        {
            warnings.Add(site.Deprecation(prefix + deprecatedKey, prefix + replacement, current is not null));
        }
    }
}
