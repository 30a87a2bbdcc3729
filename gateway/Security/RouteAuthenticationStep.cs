using MicroDemo.Gateway.Security.ReferenceTokens;
using MicroDemo.ServiceDefaults.Authentication;
using MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// Authenticates a request for a route that requires it: the route's provider keys are tried in order and
/// the first that accepts the bearer token sets <see cref="HttpContext.User"/>.
/// Runs after rate limiting and before load balancing. A token a scheme has accepted is answered from
/// <see cref="AcceptedTokenCache"/> on its next requests.
/// </summary>
public sealed class RouteAuthenticationStep(
    IOptionsMonitor<JwtBearerOptions> bearerOptions, ReferenceTokenSchemes schemes, AcceptedTokenCache acceptedTokens, ILogger<RouteAuthenticationStep> logger)
{
    public async Task<SecurityOutcome> AuthenticateAsync(HttpContext context, string route, RouteAuthOptions options)
    {
        // CORS pre-flight requests carry no credentials (Ocelot #633).
        if (!options.RequiresAuthentication || HttpMethods.IsOptions(context.Request.Method))
        {
            return SecurityOutcome.Continue;
        }

        string? invalidTokenReason = null;
        string? unreachableProvider = null;
        var token = TokenShape.BearerToken(context.Request);
        foreach (var providerKey in options.ProviderKeys)
        {
            if (string.IsNullOrWhiteSpace(providerKey))
            {
                continue;
            }

            // The accepted-token cache is for JWTs only: a reference token's answer is the introspection cache's,
            // short on purpose so that a revocation takes effect.
            var scheme = schemes.SchemeFor(providerKey, token);
            var isJwtScheme = scheme == providerKey;

            // Read before validating: should a refresh replace the keys meanwhile, the entry is stale at once.
            var metadata = isJwtScheme ? CurrentMetadata(providerKey) : null;
            if (isJwtScheme && acceptedTokens.TryGet(providerKey, token, metadata, out var known))
            {
                context.User = known;
                return SecurityOutcome.Continue;
            }

            var result = await context.AuthenticateAsync(scheme);
            if (result.Succeeded)
            {
                context.User = result.Principal;
                if (isJwtScheme && token is not null)
                {
                    acceptedTokens.Add(providerKey, token, metadata, result.Principal, result.Properties?.ExpiresUtc);
                }

                return SecurityOutcome.Continue;
            }

            if (result.None)
            {
                continue;
            }

            if (result.Failure is IntrospectionUnavailableException
                || (TokenFailure.CouldBeMissingMetadata(result.Failure) && IssuerNeverReached(providerKey)))
            {
                Log.IssuerUnreachable(logger, route, providerKey);
                unreachableProvider ??= providerKey;
                continue;
            }

            var reason = TokenFailureDescription.Of(result.Failure);
            Log.TokenRejected(logger, route, providerKey, reason);
            invalidTokenReason ??= reason;
        }

        // An unreachable issuer might have accepted the token, so "invalid" would be a guess: answer 503.
        if (unreachableProvider is not null)
        {
            return SecurityOutcome.Reject(SecurityProblem.IssuerUnavailable(route, unreachableProvider));
        }

        if (invalidTokenReason is not null)
        {
            return SecurityOutcome.Reject(SecurityProblem.InvalidToken(route, invalidTokenReason));
        }

        Log.TokenMissing(logger, route);
        return SecurityOutcome.Reject(SecurityProblem.MissingToken(route));
    }

    private bool IssuerNeverReached(string providerKey) =>
        bearerOptions.Get(providerKey).ConfigurationManager is IssuerMetadataManager { HasMetadata: false };

    private OpenIdConnectConfiguration? CurrentMetadata(string providerKey) =>
        (bearerOptions.Get(providerKey).ConfigurationManager as IssuerMetadataManager)?.CurrentConfiguration;
}
