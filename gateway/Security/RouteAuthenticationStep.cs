using MicroDemo.Gateway.Security.ReferenceTokens;
using MicroDemo.ServiceDefaults.Authentication;
using MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// Authenticates a request for a route that requires it: the route's provider keys are tried in order and
/// the first that accepts the bearer token sets <see cref="HttpContext.User"/>.
/// Runs after rate limiting and before load balancing.
/// </summary>
public sealed class RouteAuthenticationStep(IOptionsMonitor<JwtBearerOptions> bearerOptions, ReferenceTokenSchemes schemes, ILogger<RouteAuthenticationStep> logger)
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
        foreach (var providerKey in options.ProviderKeys.Where(key => !string.IsNullOrWhiteSpace(key)))
        {
            var result = await context.AuthenticateAsync(schemes.SchemeFor(providerKey, context.Request));
            if (result.Succeeded)
            {
                context.User = result.Principal;
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
}
