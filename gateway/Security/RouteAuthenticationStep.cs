using MicroDemo.ServiceDefaults.Authentication;
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
    IOptionsMonitor<JwtBearerOptions> bearerOptions, AcceptedTokenCache acceptedTokens, ILogger<RouteAuthenticationStep> logger)
{
    private const string BearerPrefix = "Bearer ";

    public async Task<SecurityOutcome> AuthenticateAsync(HttpContext context, string route, RouteAuthOptions options)
    {
        // CORS pre-flight requests carry no credentials (Ocelot #633).
        if (!options.RequiresAuthentication || HttpMethods.IsOptions(context.Request.Method))
        {
            return SecurityOutcome.Continue;
        }

        string? invalidTokenReason = null;
        string? unreachableProvider = null;
        var token = BearerToken(context.Request);
        foreach (var providerKey in options.ProviderKeys)
        {
            if (string.IsNullOrWhiteSpace(providerKey))
            {
                continue;
            }

            // Read before validating: should a refresh replace the keys meanwhile, the entry is stale at once.
            var metadata = CurrentMetadata(providerKey);
            if (acceptedTokens.TryGet(providerKey, token.Span, metadata, out var known))
            {
                context.User = known;
                return SecurityOutcome.Continue;
            }

            var result = await context.AuthenticateAsync(providerKey);
            if (result.Succeeded)
            {
                context.User = result.Principal;
                if (!token.IsEmpty)
                {
                    acceptedTokens.Add(providerKey, token.ToString(), metadata, result.Principal, result.Properties?.ExpiresUtc);
                }

                return SecurityOutcome.Continue;
            }

            if (result.None)
            {
                continue;
            }

            if (TokenFailure.CouldBeMissingMetadata(result.Failure) && IssuerNeverReached(providerKey))
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

    // The token exactly as JwtBearerHandler reads it, so a cached answer is for the same token it would check.
    private static ReadOnlyMemory<char> BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? authorization.AsMemory(BearerPrefix.Length).Trim()
            : ReadOnlyMemory<char>.Empty;
    }
}
