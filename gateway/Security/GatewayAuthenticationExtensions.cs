using System.Net;
using MicroDemo.Gateway.Security.ReferenceTokens;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.Gateway.Security;

public static class GatewayAuthenticationExtensions
{
    private static readonly TimeSpan MetadataRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers one JwtBearer scheme per <c>Gateway:Authentication:Providers:{ProviderKey}</c> section, the
    /// per-route security steps. The configuration validator checks route keys against the registered schemes.
    /// No default scheme is set: routes name their schemes and <see cref="RouteAuthenticationStep"/> calls them.
    /// </summary>
    /// <exception cref="InvalidOperationException">A provider section is invalid; the message lists every problem.</exception>
    public static IServiceCollection AddGatewayAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var providers = ReadProviders(configuration);
        var authentication = services.AddAuthentication();
        foreach (var (key, settings) in providers)
        {
            authentication.AddJwtBearer(key, _ => { });
            services.AddOptions<JwtBearerOptions>(key)
                .Configure<TimeProvider, ILoggerFactory>((options, time, loggers) => Configure(options, settings, time, loggers));
        }

        authentication.AddGatewayReferenceTokens(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IpSecurityStep>();
        services.AddSingleton<RouteAuthenticationStep>();
        services.AddSingleton<RouteAuthorizationStep>();
        services.AddSingleton<ClaimsToDownstreamStep>();
        return services;
    }

    private static Dictionary<string, AuthenticationProviderSettings> ReadProviders(IConfiguration configuration)
    {
        var providers = new Dictionary<string, AuthenticationProviderSettings>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var section in configuration.GetSection(AuthenticationProviderSettings.SectionName).GetChildren())
        {
            var settings = section.Get<AuthenticationProviderSettings>() ?? new AuthenticationProviderSettings();
            errors.AddRange(Validate(section.Path, settings));
            providers[section.Key] = settings;
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid gateway authentication settings:\n" + string.Join('\n', errors));
        }

        return providers;
    }

    private static IEnumerable<string> Validate(string path, AuthenticationProviderSettings settings)
    {
        if (!Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority)
            || (authority.Scheme != Uri.UriSchemeHttp && authority.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{path}:Authority must be an absolute http(s) URL of the token issuer (got '{settings.Authority}').";
        }
        else if (RequiresHttps(settings, authority) && authority.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"{path}:Authority '{authority}' is not https; set {path}:RequireHttpsMetadata to false to allow plain http.";
        }

        if (string.IsNullOrWhiteSpace(settings.Audience))
        {
            yield return $"{path}:Audience must not be empty.";
        }

        // IdentityModel's own floors; a smaller value would only fail later, at the first request.
        if (settings.MetadataRefreshInterval < BaseConfigurationManager.MinimumAutomaticRefreshInterval)
        {
            yield return $"{path}:MetadataRefreshInterval must be at least {BaseConfigurationManager.MinimumAutomaticRefreshInterval} (got {settings.MetadataRefreshInterval}).";
        }

        if (settings.MinimumRefreshInterval < BaseConfigurationManager.MinimumRefreshInterval)
        {
            yield return $"{path}:MinimumRefreshInterval must be at least {BaseConfigurationManager.MinimumRefreshInterval} (got {settings.MinimumRefreshInterval}).";
        }

        if (settings.ClockSkew < TimeSpan.Zero)
        {
            yield return $"{path}:ClockSkew must not be negative (got {settings.ClockSkew}).";
        }
    }

    // Plain http is only a safe default where the traffic never leaves the machine.
    private static bool RequiresHttps(AuthenticationProviderSettings settings, Uri authority) =>
        settings.RequireHttpsMetadata ?? !(authority.Scheme == Uri.UriSchemeHttp && IsLoopback(authority));

    private static bool IsLoopback(Uri authority) =>
        authority.IsLoopback || (IPAddress.TryParse(authority.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static void Configure(JwtBearerOptions options, AuthenticationProviderSettings settings, TimeProvider time, ILoggerFactory loggers)
    {
        var authority = new Uri(settings.Authority!);
        var requireHttps = RequiresHttps(settings, authority);
        var metadataAddress = settings.Authority!.TrimEnd('/') + "/.well-known/openid-configuration";

        options.Authority = settings.Authority;
        options.MetadataAddress = metadataAddress;
        options.Audience = settings.Audience;
        options.RequireHttpsMetadata = requireHttps;
        // Keep token claim names (sub, scope, role) as issued, which is what ocelot.json claim expressions name.
        options.MapInboundClaims = false;
        options.RefreshOnIssuerKeyNotFound = true;
        options.Backchannel = new HttpClient { Timeout = MetadataRequestTimeout };
        options.ConfigurationManager = new IssuerMetadataManager(
            metadataAddress,
            new HttpDocumentRetriever(options.Backchannel) { RequireHttps = requireHttps },
            time,
            loggers.CreateLogger<IssuerMetadataManager>())
        {
            AutomaticRefreshInterval = settings.MetadataRefreshInterval,
            RefreshInterval = settings.MinimumRefreshInterval,
        };
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ClockSkew = settings.ClockSkew,
        };
    }
}
