using System.Collections.Immutable;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// The global sections after deprecated names were resolved and their values validated once (errors name
/// <c>GlobalConfiguration</c>), ready to be merged into each route.
/// </summary>
internal sealed record CanonicalGlobal(
    FileGlobalConfiguration File,
    FileAuthenticationOptions? Authentication,
    FileCacheOptions? Cache,
    FileHttpHandlerOptions? HttpHandler,
    FileLoadBalancerOptions? LoadBalancer,
    FileQoSOptions? Qos,
    FileRateLimitOptions? RateLimit,
    string? DownstreamScheme,
    Version? DownstreamHttpVersion,
    HttpVersionPolicy? DownstreamHttpVersionPolicy,
    SecuritySettings Security,
    ImmutableSortedDictionary<string, string> Metadata,
    ImmutableSortedDictionary<string, string> UpstreamHeaderTransform,
    ImmutableSortedDictionary<string, string> DownstreamHeaderTransform)
{
    public static CanonicalGlobal Create(FileGlobalConfiguration global, ConfigurationSite site, ICollection<ConfigurationError> errors) =>
        new(
            global,
            AuthenticationSection.Canonical(global.AuthenticationOptions, site, errors),
            CacheSection.Canonical(global.CacheOptions, site, "CacheOptions", errors),
            HttpHandlerSection.Canonical(global.HttpHandlerOptions, site, errors),
            LoadBalancerSection.Canonical(global.LoadBalancerOptions, site, errors),
            QosSection.Canonical(global.QoSOptions, site, errors),
            RateLimitSection.Canonical(global.RateLimitOptions, site, "RateLimitOptions", errors),
            ScalarValues.Scheme(global.DownstreamScheme, site, errors),
            ScalarValues.HttpVersion(global.DownstreamHttpVersion, site, errors),
            ScalarValues.VersionPolicy(global.DownstreamHttpVersionPolicy, site, errors),
            ScalarValues.Security(global.SecurityOptions, fallback: SecuritySettings.None),
            ScalarValues.ExactMap(global.Metadata),
            ScalarValues.HeaderMap(global.UpstreamHeaderTransform),
            ScalarValues.HeaderMap(global.DownstreamHeaderTransform));
}
