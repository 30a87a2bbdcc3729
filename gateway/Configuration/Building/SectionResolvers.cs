using System.Collections.Immutable;
using System.Globalization;

namespace MicroDemo.Gateway.Configuration;

// Every groupable section goes through the same two steps:
// 1. Canonical: deprecated names resolved (the deprecated one wins, as in Ocelot v25) and the values
//    validated at the level where they were written, so an error names the file entry that holds it.
// 2. Resolve: merged with the applicable global section field by field (route field wins, null fields
//    come from global) and defaults applied, producing the immutable settings record.

internal static class AuthenticationSection
{
    public static FileAuthenticationOptions? Canonical(FileAuthenticationOptions? options, ConfigurationSite site, ICollection<ConfigurationError> errors)
    {
        if (options is null)
        {
            return null;
        }

        List<string>? keys = null;
        if (!string.IsNullOrWhiteSpace(options.AuthenticationProviderKey) || options.AuthenticationProviderKeys is not null)
        {
            keys = [];
            if (!string.IsNullOrWhiteSpace(options.AuthenticationProviderKey))
            {
                keys.Add(options.AuthenticationProviderKey);
            }

            for (var i = 0; i < (options.AuthenticationProviderKeys?.Count ?? 0); i++)
            {
                var key = options.AuthenticationProviderKeys![i];
                if (string.IsNullOrWhiteSpace(key))
                {
                    errors.Add(site.Error($"AuthenticationOptions.AuthenticationProviderKeys[{i}]", "must not be empty"));
                }
                else if (!keys.Contains(key, StringComparer.Ordinal))
                {
                    keys.Add(key);
                }
            }
        }

        return new FileAuthenticationOptions
        {
            AuthenticationProviderKeys = keys,
            AllowedScopes = options.AllowedScopes,
            AllowAnonymous = options.AllowAnonymous,
            RouteKeys = options.RouteKeys,
        };
    }

    public static AuthenticationSettings Resolve(FileAuthenticationOptions? route, FileAuthenticationOptions? global)
    {
        if (route is null && global is null)
        {
            return AuthenticationSettings.None;
        }

        return new AuthenticationSettings(
            GlobalGroups.Pick(route?.AuthenticationProviderKeys, global?.AuthenticationProviderKeys)?.ToImmutableArray() ?? [],
            GlobalGroups.Pick(route?.AllowedScopes, global?.AllowedScopes)?.Where(s => !string.IsNullOrWhiteSpace(s)).ToImmutableArray() ?? [],
            route?.AllowAnonymous ?? global?.AllowAnonymous ?? false);
    }
}

internal static class CacheSection
{
    public static FileCacheOptions? Canonical(FileCacheOptions? options, ConfigurationSite site, string key, ICollection<ConfigurationError> errors)
    {
        if (options?.TtlSeconds < 0)
        {
            errors.Add(site.Error($"{key}.TtlSeconds", $"must be 0 or greater (0 disables caching), got {options.TtlSeconds}"));
        }

        return options;
    }

    public static CacheSettings Resolve(FileCacheOptions? route, FileCacheOptions? global, string loadBalancerKey) =>
        new(
            Math.Max(0, route?.TtlSeconds ?? global?.TtlSeconds ?? 0),
            NonEmpty(route?.Region) ?? NonEmpty(global?.Region) ?? loadBalancerKey,
            NonEmpty(route?.Header) ?? NonEmpty(global?.Header) ?? CacheSettings.DefaultHeader,
            route?.EnableContentHashing ?? global?.EnableContentHashing ?? false,
            route?.Shared ?? global?.Shared ?? false);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

internal static class HttpHandlerSection
{
    public static FileHttpHandlerOptions? Canonical(FileHttpHandlerOptions? options, ConfigurationSite site, ICollection<ConfigurationError> errors)
    {
        if (options?.PooledConnectionLifetimeSeconds < 0)
        {
            errors.Add(site.Error("HttpHandlerOptions.PooledConnectionLifetimeSeconds", $"must be 0 or greater, got {options.PooledConnectionLifetimeSeconds}"));
        }

        return options;
    }

    public static HttpHandlerSettings Resolve(FileHttpHandlerOptions? route, FileHttpHandlerOptions? global)
    {
        if (route is null && global is null)
        {
            return HttpHandlerSettings.Default;
        }

        var defaults = HttpHandlerSettings.Default;
        var maxConnections = route?.MaxConnectionsPerServer ?? global?.MaxConnectionsPerServer ?? defaults.MaxConnectionsPerServer;
        var lifetimeSeconds = route?.PooledConnectionLifetimeSeconds ?? global?.PooledConnectionLifetimeSeconds;
        return new HttpHandlerSettings(
            route?.AllowAutoRedirect ?? global?.AllowAutoRedirect ?? defaults.AllowAutoRedirect,
            // Ocelot's rule: zero or negative means "unlimited".
            maxConnections > 0 ? maxConnections : int.MaxValue,
            lifetimeSeconds is >= 0 ? TimeSpan.FromSeconds(lifetimeSeconds.Value) : defaults.PooledConnectionLifetime,
            route?.UseCookieContainer ?? global?.UseCookieContainer ?? defaults.UseCookieContainer,
            route?.UseProxy ?? global?.UseProxy ?? defaults.UseProxy,
            route?.UseTracing ?? global?.UseTracing ?? defaults.UseTracing);
    }
}

internal static class LoadBalancerSection
{
    public static FileLoadBalancerOptions? Canonical(FileLoadBalancerOptions? options, ConfigurationSite site, ICollection<ConfigurationError> errors)
    {
        if (options is null)
        {
            return null;
        }

        string? type = null;
        if (!string.IsNullOrWhiteSpace(options.Type))
        {
            type = LoadBalancerSettings.SupportedTypes.FirstOrDefault(t => string.Equals(t, options.Type, StringComparison.OrdinalIgnoreCase));
            if (type is null)
            {
                errors.Add(site.Error("LoadBalancerOptions.Type",
                    $"'{options.Type}' is not a supported load balancer; use one of {string.Join(", ", LoadBalancerSettings.SupportedTypes)}"));
            }
        }

        if (options.Expiry <= 0)
        {
            errors.Add(site.Error("LoadBalancerOptions.Expiry", $"must be greater than 0 milliseconds, got {options.Expiry}"));
        }

        return new FileLoadBalancerOptions { Type = type, Key = options.Key, Expiry = options.Expiry, RouteKeys = options.RouteKeys };
    }

    public static LoadBalancerSettings Resolve(FileLoadBalancerOptions? route, FileLoadBalancerOptions? global)
    {
        var type = route?.Type ?? global?.Type ?? LoadBalancerSettings.NoLoadBalancer;
        var key = string.IsNullOrWhiteSpace(route?.Key) ? global?.Key : route.Key;
        if (type == LoadBalancerSettings.CookieStickySessions && string.IsNullOrWhiteSpace(key))
        {
            key = LoadBalancerSettings.DefaultStickyCookie;
        }

        var expiry = route?.Expiry ?? global?.Expiry;
        return new LoadBalancerSettings(
            type,
            string.IsNullOrWhiteSpace(key) ? null : key,
            expiry > 0 ? TimeSpan.FromMilliseconds(expiry.Value) : LoadBalancerSettings.DefaultStickyExpiry);
    }
}

internal static class QosSection
{
    public static FileQoSOptions? Canonical(FileQoSOptions? options, ConfigurationSite site, ICollection<ConfigurationError> errors)
    {
        if (options is null)
        {
            return null;
        }

        var canonical = new FileQoSOptions
        {
            MinimumThroughput = options.ExceptionsAllowedBeforeBreaking ?? options.MinimumThroughput,
            BreakDuration = options.DurationOfBreak ?? options.BreakDuration,
            FailureRatio = options.FailureRatio,
            SamplingDuration = options.SamplingDuration,
            Timeout = options.TimeoutValue ?? options.Timeout,
            RouteKeys = options.RouteKeys,
        };

        // Zero is accepted for counts and durations because legacy timeout-only configurations write
        // "ExceptionsAllowedBeforeBreaking": 0, "DurationOfBreak": 0 to mean "no circuit breaker".
        var minimumThroughputKey = options.ExceptionsAllowedBeforeBreaking is null ? "MinimumThroughput" : "ExceptionsAllowedBeforeBreaking";
        RequireNotNegative(canonical.MinimumThroughput, minimumThroughputKey, "(0 = no circuit breaker)");
        RequireNotNegative(canonical.BreakDuration, options.DurationOfBreak is null ? "BreakDuration" : "DurationOfBreak", "milliseconds");
        RequireNotNegative(canonical.SamplingDuration, "SamplingDuration", "milliseconds");
        RequireNotNegative(canonical.Timeout, options.TimeoutValue is null ? "Timeout" : "TimeoutValue", "milliseconds (0 = no QoS timeout)");
        if (canonical.FailureRatio is { } ratio && !(ratio > 0 && ratio <= 1))
        {
            errors.Add(site.Error("QoSOptions.FailureRatio",
                string.Create(CultureInfo.InvariantCulture, $"must be greater than 0 and at most 1, got {ratio}")));
        }

        return canonical;

        void RequireNotNegative(int? value, string key, string unit)
        {
            if (value < 0)
            {
                errors.Add(site.Error($"QoSOptions.{key}", $"must be 0 or greater {unit}, got {value}"));
            }
        }
    }

    public static QosSettings Resolve(FileQoSOptions? route, FileQoSOptions? global)
    {
        if (route is null && global is null)
        {
            return QosSettings.Disabled;
        }

        var breakDuration = route?.BreakDuration ?? global?.BreakDuration;
        var samplingDuration = route?.SamplingDuration ?? global?.SamplingDuration;
        var timeout = route?.Timeout ?? global?.Timeout;
        var ratio = route?.FailureRatio ?? global?.FailureRatio;
        return new QosSettings(
            Math.Max(0, route?.MinimumThroughput ?? global?.MinimumThroughput ?? 0),
            breakDuration > 0 ? TimeSpan.FromMilliseconds(breakDuration.Value) : QosSettings.DefaultBreakDuration,
            ratio is > 0 and <= 1 ? ratio : null,
            samplingDuration > 0 ? TimeSpan.FromMilliseconds(samplingDuration.Value) : QosSettings.DefaultSamplingDuration,
            timeout > 0 ? TimeSpan.FromMilliseconds(timeout.Value) : null);
    }
}

internal static class RateLimitSection
{
    public static FileRateLimitOptions? Canonical(FileRateLimitOptions? options, ConfigurationSite site, string key, ICollection<ConfigurationError> errors)
    {
        if (options is null)
        {
            return null;
        }

        var canonical = new FileRateLimitOptions
        {
            EnableRateLimiting = options.EnableRateLimiting,
            ClientIdHeader = options.ClientIdHeader,
            ClientWhitelist = options.ClientWhitelist,
            Limit = options.Limit,
            Period = options.Period,
            Wait = options.PeriodTimespan is { } seconds
                ? string.Create(CultureInfo.InvariantCulture, $"{seconds}s")
                : options.Wait,
            StatusCode = options.HttpStatusCode ?? options.StatusCode,
            QuotaMessage = options.QuotaExceededMessage ?? options.QuotaMessage,
            KeyPrefix = options.RateLimitCounterPrefix ?? options.KeyPrefix,
            EnableHeaders = options.DisableRateLimitHeaders is { } disable ? !disable : options.EnableHeaders,
            PartitionBy = options.PartitionBy,
            PartitionClaim = options.PartitionClaim,
            RouteKeys = options.RouteKeys,
        };

        if (canonical.Limit <= 0)
        {
            errors.Add(site.Error($"{key}.Limit", $"must be greater than 0, got {canonical.Limit} (a zero limit would block every request)"));
        }

        if (canonical.Period is not null)
        {
            if (string.IsNullOrWhiteSpace(canonical.Period))
            {
                errors.Add(site.Error($"{key}.Period", $"is empty; expected {TimeSpanText.FormatDescription}"));
            }
            else if (!TimeSpanText.TryParse(canonical.Period, out var period) || period <= TimeSpan.Zero)
            {
                errors.Add(site.Error($"{key}.Period", $"'{canonical.Period}' is not a valid period; expected {TimeSpanText.FormatDescription}, greater than 0"));
            }
        }

        if (options.PeriodTimespan < 0)
        {
            errors.Add(site.Error($"{key}.PeriodTimespan", $"must be 0 or greater seconds, got {options.PeriodTimespan}"));
        }
        else if (canonical.Wait is not null && !TimeSpanText.TryParse(canonical.Wait, out _))
        {
            errors.Add(site.Error($"{key}.Wait", $"'{canonical.Wait}' is not a valid duration; expected {TimeSpanText.FormatDescription}"));
        }

        if (canonical.StatusCode is { } status && (status < 100 || status > 599))
        {
            var statusKey = options.HttpStatusCode is null ? "StatusCode" : "HttpStatusCode";
            errors.Add(site.Error($"{key}.{statusKey}", $"must be an HTTP status code between 100 and 599, got {status}"));
        }

        if (canonical.QuotaMessage is { } message && !IsValidFormat(message))
        {
            var messageKey = options.QuotaExceededMessage is null ? "QuotaMessage" : "QuotaExceededMessage";
            errors.Add(site.Error($"{key}.{messageKey}", "is not a valid format string; use {0} for the limit and {1} for the period, and double other braces"));
        }

        if (canonical.PartitionBy is not null && !TryParsePartition(canonical.PartitionBy, out _))
        {
            errors.Add(site.Error($"{key}.PartitionBy", $"'{canonical.PartitionBy}' is not supported; use ClientId, ClientIp or Claim"));
        }

        if (canonical.PartitionClaim is not null && string.IsNullOrWhiteSpace(canonical.PartitionClaim))
        {
            errors.Add(site.Error($"{key}.PartitionClaim", "must not be empty"));
        }

        return canonical;
    }

    public static FileRateLimitOptions? Merge(FileRateLimitOptions? route, FileRateLimitOptions? global)
    {
        if (route is null || global is null)
        {
            return route ?? global;
        }

        return new FileRateLimitOptions
        {
            EnableRateLimiting = route.EnableRateLimiting ?? global.EnableRateLimiting,
            ClientIdHeader = route.ClientIdHeader ?? global.ClientIdHeader,
            ClientWhitelist = GlobalGroups.Pick(route.ClientWhitelist, global.ClientWhitelist),
            Limit = route.Limit ?? global.Limit,
            Period = route.Period ?? global.Period,
            Wait = route.Wait ?? global.Wait,
            StatusCode = route.StatusCode ?? global.StatusCode,
            QuotaMessage = route.QuotaMessage ?? global.QuotaMessage,
            KeyPrefix = route.KeyPrefix ?? global.KeyPrefix,
            EnableHeaders = route.EnableHeaders ?? global.EnableHeaders,
            PartitionBy = route.PartitionBy ?? global.PartitionBy,
            PartitionClaim = route.PartitionClaim ?? global.PartitionClaim,
        };
    }

    /// <summary>Disabled when no section applies; a section that applies enables limiting unless it says otherwise (Ocelot v25).</summary>
    public static RateLimitSettings Resolve(FileRateLimitOptions? merged)
    {
        if (merged is null)
        {
            return RateLimitSettings.Disabled;
        }

        var defaults = RateLimitSettings.Disabled;
        var periodText = string.IsNullOrWhiteSpace(merged.Period) ? defaults.PeriodText : merged.Period.Trim();
        var waitText = string.IsNullOrWhiteSpace(merged.Wait) ? defaults.WaitText : merged.Wait.Trim();
        return new RateLimitSettings
        {
            Enabled = merged.EnableRateLimiting ?? true,
            ClientIdHeader = string.IsNullOrWhiteSpace(merged.ClientIdHeader) ? defaults.ClientIdHeader : merged.ClientIdHeader,
            ClientWhitelist = (merged.ClientWhitelist ?? []).ToImmutableSortedSet(StringComparer.Ordinal),
            Limit = merged.Limit ?? 0,
            PeriodText = periodText,
            Period = TimeSpanText.TryParse(periodText, out var period) && period > TimeSpan.Zero ? period : defaults.Period,
            WaitText = waitText,
            Wait = TimeSpanText.TryParse(waitText, out var wait) ? wait : defaults.Wait,
            StatusCode = merged.StatusCode ?? defaults.StatusCode,
            QuotaMessage = merged.QuotaMessage ?? defaults.QuotaMessage,
            KeyPrefix = string.IsNullOrWhiteSpace(merged.KeyPrefix) ? defaults.KeyPrefix : merged.KeyPrefix,
            EnableHeaders = merged.EnableHeaders ?? defaults.EnableHeaders,
            PartitionBy = TryParsePartition(merged.PartitionBy, out var partition) ? partition : defaults.PartitionBy,
            PartitionClaim = string.IsNullOrWhiteSpace(merged.PartitionClaim) ? defaults.PartitionClaim : merged.PartitionClaim,
        };
    }

    private static bool TryParsePartition(string? value, out RateLimitPartition partition) =>
        Enum.TryParse(value, ignoreCase: true, out partition) && Enum.IsDefined(partition) && !int.TryParse(value, out _);

    private static bool IsValidFormat(string message)
    {
        try
        {
            _ = string.Format(CultureInfo.InvariantCulture, message, 1L, "1s");
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
