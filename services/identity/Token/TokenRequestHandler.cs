using System.Security.Claims;
using MicroDemo.Identity.Options;
using MicroDemo.Identity.Users;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MicroDemo.Identity.Token;

/// <summary>
/// Decides what a token request gets once OpenIddict has checked the request, the client's credentials and its
/// grant type: the scopes (<see cref="ScopeSet"/>), for the password grant the user, and the claims of the token.
/// </summary>
public sealed class TokenRequestHandler(IOptions<IdentityServiceOptions> options, UserStore users) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>().UseSingletonHandler<TokenRequestHandler>().Build();

    public ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        var request = context.Request;
        // OpenIddict has authenticated the client against its store, which ClientRegistration keeps equal to configuration.
        if (!options.Value.Clients.TryGetValue(request.ClientId!, out var client))
        {
            context.Reject(Errors.InvalidClient, "The client is not configured.");
            return ValueTask.CompletedTask;
        }

        if (!ScopeSet.TryResolve(request.Scope, client.AllowedScopes, out var scopes, out var scopeError))
        {
            context.Reject(Errors.InvalidScope, scopeError);
            return ValueTask.CompletedTask;
        }

        var identity = new ClaimsIdentity(authenticationType: "MicroDemo.Identity", Claims.Name, Claims.Role);
        if (request.IsPasswordGrantType())
        {
            var user = users.Authenticate(request.Username!, request.Password!);
            if (user is null)
            {
                context.Reject(Errors.InvalidGrant, "The user name or password is incorrect.");
                return ValueTask.CompletedTask;
            }

            identity.SetClaim(Claims.Subject, user.SubjectId)
                .SetClaim(Claims.Name, user.Name ?? user.UserName)
                .SetClaim(Claims.PreferredUsername, user.UserName)
                .SetClaim(Claims.Email, user.Email)
                .SetClaims(Claims.Role, [.. user.Roles]);
        }
        else
        {
            identity.SetClaim(Claims.Subject, request.ClientId);
        }

        identity.SetScopes(scopes).SetResources(options.Value.Audience);
        identity.SetDestinations(_ => [Destinations.AccessToken]);

        // OpenIddict leaves scope out of the response when it equals the request; clients here always get it (RFC 6749 §5.1 allows it).
        context.SignIn(new ClaimsPrincipal(identity), new Dictionary<string, OpenIddictParameter>
        {
            [Parameters.Scope] = string.Join(' ', scopes),
        });
        return ValueTask.CompletedTask;
    }
}
