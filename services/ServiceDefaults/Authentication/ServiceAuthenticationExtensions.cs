using MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults.Authentication;

public static class ServiceAuthenticationExtensions
{
    /// <summary>The default scheme when reference tokens are accepted: it forwards to JwtBearer or <see cref="ReferenceTokenScheme"/>.</summary>
    public const string TokenSelectorScheme = "BearerOrReference";

    public const string ReferenceTokenScheme = "Reference";

    /// <summary>
    /// JWT bearer authentication against the MicroDemo token service named by <c>Identity:Authority</c> (and reference
    /// tokens through its introspection endpoint when <c>Identity:SupportedTokens</c> says so), plus
    /// authorization for <see cref="RequireScope{TBuilder}"/>. Without <c>Identity:Authority</c> authentication
    /// is off: scope requirements pass and a warning is logged at startup, so a service also runs on its own.
    /// </summary>
    public static IServiceCollection AddServiceAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ServiceAuthenticationOptions.SectionName);
        var settings = section.Get<ServiceAuthenticationOptions>() ?? new ServiceAuthenticationOptions();

        services.AddOptions<ServiceAuthenticationOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceAuthenticationOptions>, ServiceAuthenticationOptionsValidator>();
        services.AddSingleton<IAuthorizationHandler, TokenRequirementHandler>();
        services.AddAuthorization();

        if (!settings.IsEnabled)
        {
            services.AddAuthentication();
            services.AddHostedService<AuthenticationDisabledWarning>();
            return services;
        }

        if (settings.SupportedTokens == SupportedTokens.Jwt)
        {
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        }
        else
        {
            // One default scheme that hands each request to JwtBearer or to introspection by the token's shape; the gateway
            // shares the introspector, so both keep the same cache rules. OpenIddict's validation handler would introspect
            // JWTs too (it validates either locally or remotely, not by shape), and it has no introspection cache of its own.
            services.AddAuthentication(TokenSelectorScheme)
                .AddPolicyScheme(TokenSelectorScheme, displayName: null, policy => policy.ForwardDefaultSelector = context =>
                    TokenShape.NeedsIntrospection(settings.SupportedTokens, TokenShape.BearerToken(context.Request))
                        ? ReferenceTokenScheme
                        : JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer()
                .AddReferenceTokens(ReferenceTokenScheme, settings.Authority!, settings.Audience, settings.Introspection);
        }

        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ScopeChallengeResultHandler>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<ServiceAuthenticationOptions>, IHostEnvironment>((bearer, options, environment) =>
                Configure(bearer, options.Value, environment));
        return services;
    }

    /// <summary>The endpoint needs an access token with at least one of <paramref name="scopes"/>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder endpoint, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(policy => policy.RequireScope(scopes));

    /// <summary>
    /// The endpoint needs an access token with a <c>role</c> claim of one of <paramref name="roles"/>, on top of any
    /// scope it requires: the service's own copy of a gateway route's <c>RouteClaimsRequirement</c>.
    /// </summary>
    public static TBuilder RequireTokenRole<TBuilder>(this TBuilder endpoint, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentOutOfRangeException.ThrowIfZero(roles.Length);
        return endpoint.RequireAuthorization(policy => policy.AddRequirements(new RoleRequirement(roles)));
    }

    /// <summary>For named policies: at least one of <paramref name="scopes"/> (chain calls to require several).</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, params string[] scopes)
    {
        ArgumentOutOfRangeException.ThrowIfZero(scopes.Length);
        return policy.AddRequirements(new ScopeRequirement(scopes));
    }

    private static void Configure(JwtBearerOptions bearer, ServiceAuthenticationOptions options, IHostEnvironment environment)
    {
        bearer.Authority = options.Authority;
        bearer.Audience = options.Audience;
        bearer.RequireHttpsMetadata = options.RequiresHttpsMetadata(environment);

        // Keep the JWT claim names (sub, scope, role) instead of the legacy WS-Federation URIs.
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters.NameClaimType = "name";
        bearer.TokenValidationParameters.RoleClaimType = "role";

        // RFC 9068: accept access tokens only, never an ID token or another JWT signed by the same key.
        bearer.TokenValidationParameters.ValidTypes = ["at+jwt"];
        bearer.TokenValidationParameters.ClockSkew = TokenValidationDefaults.ClockSkew;

        // The token service announces its next key ahead of a rotation; refreshing every few minutes picks it up
        // before it signs anything. An unknown kid still forces a refresh, at most once per RefreshInterval,
        // so a flood of forged kids cannot hammer the token service.
        bearer.AutomaticRefreshInterval = TimeSpan.FromMinutes(10);
        bearer.RefreshInterval = TimeSpan.FromSeconds(30);
        bearer.RefreshOnIssuerKeyNotFound = true;

        bearer.Events = new ProblemDetailsBearerEvents();
    }
}
