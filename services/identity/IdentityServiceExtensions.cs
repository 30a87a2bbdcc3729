using MicroDemo.Identity.Store;
using MicroDemo.Identity.Discovery;
using MicroDemo.Identity.Keys;
using MicroDemo.Identity.Options;
using MicroDemo.Identity.Token;
using MicroDemo.Identity.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MicroDemo.Identity;

public static class IdentityServiceExtensions
{
    public const string TokenPath = "connect/token";
    public const string IntrospectionPath = "connect/introspect";
    public const string RevocationPath = "connect/revocation";
    public const string ConfigurationPath = ".well-known/openid-configuration";
    public const string JwksPath = ".well-known/jwks.json";

    /// <summary>
    /// The token service: OpenIddict's server with its stores in SQLite, clients, users and keys from the
    /// <c>Identity</c> section (checked at startup).
    /// </summary>
    public static IServiceCollection AddIdentityService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdentityServiceOptions>()
            .Bind(configuration.GetSection(IdentityServiceOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdentityServiceOptions>, IdentityServiceOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<UserStore>();
        services.AddSingleton<SigningKeyRing>();
        services.AddHostedService<SigningKeyRingLoader>();
        services.AddHostedService<ClientRegistration>();

        services.AddDbContext<IdentityDbContext>((provider, database) =>
        {
            database.UseSqlite($"Data Source={DatabasePath(provider)}");
            database.UseOpenIddict();
        });

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenPath)
                    .SetIntrospectionEndpointUris(IntrospectionPath)
                    .SetRevocationEndpointUris(RevocationPath)
                    .SetConfigurationEndpointUris(ConfigurationPath)
                    .SetJsonWebKeySetEndpointUris(JwksPath);
                server.AllowClientCredentialsFlow().AllowPasswordFlow();

                // Resource servers validate the JWTs themselves (JwtBearer, the gateway), so they must be able to read
                // them: signed, not encrypted. OpenIddict still wants an encryption key; nothing issued here uses it.
                server.DisableAccessTokenEncryption();
                server.AddEphemeralEncryptionKey();

                // ScopeSet grants and refuses scopes per client from configuration, including "all allowed when none is asked".
                server.DisableScopeValidation();
                server.IgnoreScopePermissions();

                server.AddEventHandler(RepeatedParameterCheck.Descriptor);
                server.AddEventHandler(TokenRequestHandler.Descriptor);
                server.AddEventHandler(ReferenceTokenSelector.Descriptor);
                server.AddEventHandler(TokenRequestLog.Descriptor);
                server.AddEventHandler(CompactTokenResponse.Descriptor);
                server.AddEventHandler(PublicOriginHandler.Descriptor);

                // Plain http on loopback and inside the compose network, as the rest of the stack.
                server.UseAspNetCore().DisableTransportSecurityRequirement();
            });

        services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<IdentityServiceOptions>, SigningKeyRing>((server, options, keys) =>
            {
                server.Issuer = new Uri(options.Value.Issuer);
                server.AccessTokenLifetime = options.Value.TokenLifetime;
                // No OpenID Connect here (no ID tokens, no "openid" scope): the discovery document names this service's scopes only.
                server.Scopes.Clear();
                server.Scopes.UnionWith(options.Value.Scopes);
                // Clients authenticate with a shared secret; private_key_jwt would need registered client keys.
                server.ClientAuthenticationMethods.Clear();
                server.ClientAuthenticationMethods.UnionWith([ClientAuthenticationMethods.ClientSecretBasic, ClientAuthenticationMethods.ClientSecretPost]);
                // The first key signs; the others are only published, ahead of or after their time.
                server.SigningCredentials.AddRange(keys.Published().Select(key => key.Credentials));
            });

        return services;
    }

    /// <summary>The OpenIddict endpoints: <c>/connect/token</c>, introspection, revocation, discovery and the JWKS.</summary>
    public static WebApplication MapIdentityEndpoints(this WebApplication app)
    {
        // After MapServiceDefaults' error handling, so a fault in a handler becomes problem+json, not a stack trace.
        app.UseAuthentication();
        return app;
    }

    private static string DatabasePath(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<IdentityServiceOptions>>().Value;
        var root = provider.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var keyPath = Path.GetFullPath(options.KeyPath, root);
        return string.IsNullOrEmpty(options.DatabasePath)
            ? Path.Combine(Path.GetDirectoryName(keyPath)!, "identity.db")
            : Path.GetFullPath(options.DatabasePath, root);
    }
}
