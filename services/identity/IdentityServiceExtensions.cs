using MicroDemo.Identity.Clients;
using MicroDemo.Identity.Discovery;
using MicroDemo.Identity.Keys;
using MicroDemo.Identity.Options;
using MicroDemo.Identity.Token;
using MicroDemo.Identity.Users;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MicroDemo.Identity;

public static class IdentityServiceExtensions
{
    /// <summary>The token service: clients, users and keys from the <c>Identity</c> section, checked at startup.</summary>
    public static IServiceCollection AddIdentityService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdentityServiceOptions>()
            .Bind(configuration.GetSection(IdentityServiceOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdentityServiceOptions>, IdentityServiceOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<ClientStore>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<SigningKeyRing>();
        services.AddHostedService<SigningKeyRingLoader>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<TokenEndpoint>();
        return services;
    }

    /// <summary><c>POST /connect/token</c>, the discovery document and the JWKS.</summary>
    public static IEndpointRouteBuilder MapIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(TokenEndpoint.Path, (HttpContext context, TokenEndpoint token) => token.HandleAsync(context));
        endpoints.MapDiscoveryEndpoints();
        return endpoints;
    }
}
