using MicroDemo.Identity.Options;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MicroDemo.Identity.Discovery;

/// <summary>
/// Endpoint URLs of the discovery document from <c>Identity:PublicOrigin</c> when it is set. OpenIddict builds them from
/// the caller's own scheme and host otherwise, which is what a client calling directly and one calling through the
/// gateway both need; the issuer stays <c>Identity:Issuer</c> either way.
/// </summary>
public sealed class PublicOriginHandler(IOptions<IdentityServiceOptions> options) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<PublicOriginHandler>()
            .SetOrder(int.MinValue + 100_000)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        if (!string.IsNullOrEmpty(options.Value.PublicOrigin))
        {
            context.Transaction.BaseUri = new Uri(options.Value.PublicOrigin.TrimEnd('/') + "/");
        }

        return ValueTask.CompletedTask;
    }
}
