using MicroDemo.Identity.Options;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MicroDemo.Identity.Token;

/// <summary>
/// Reference access tokens for the clients with <c>ReferenceTokens: true</c>. OpenIddict's own switch
/// (<c>UseReferenceAccessTokens</c>) applies to every client; this makes the choice per client: the token's payload
/// is kept in the database and the client gets a random handle that only introspection can resolve.
/// </summary>
public sealed class ReferenceTokenSelector(IOptions<IdentityServiceOptions> options) : IOpenIddictServerHandler<GenerateTokenContext>
{
    // Before OpenIddict creates the token entry, which is where the choice takes effect.
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<ReferenceTokenSelector>()
            .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order - 500)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType == TokenTypeIdentifiers.AccessToken
            && context.ClientId is { } clientId
            && options.Value.Clients.TryGetValue(clientId, out var client)
            && client.ReferenceTokens)
        {
            context.CreateTokenEntry = true;
            context.PersistTokenPayload = true;
            context.IsReferenceToken = true;
        }

        return ValueTask.CompletedTask;
    }
}
