using MicroDemo.Identity.Keys;
using MicroDemo.Identity.Options;
using MicroDemo.Identity.Token;
using Microsoft.Extensions.Options;

namespace MicroDemo.Identity.Discovery;

public static class DiscoveryEndpoints
{
    public const string ConfigurationPath = "/.well-known/openid-configuration";
    public const string JwksPath = "/.well-known/jwks.json";

    private static readonly string[] AuthMethods = ["client_secret_basic", "client_secret_post"];
    private static readonly string[] Algorithms = ["RS256"];
    private static readonly string[] Claims = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "name", "preferred_username", "email", "role"];

    public static IEndpointRouteBuilder MapDiscoveryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ConfigurationPath, (HttpRequest request, IOptions<IdentityServiceOptions> options) =>
        {
            var origin = PublicOrigin(request, options.Value);
            return TypedResults.Json(
                new DiscoveryDocument(
                    options.Value.Issuer,
                    origin + TokenEndpoint.Path,
                    origin + JwksPath,
                    GrantTypes.Supported,
                    options.Value.Scopes,
                    AuthMethods,
                    Algorithms,
                    Claims),
                IdentityJsonContext.Default.DiscoveryDocument);
        });

        endpoints.MapGet(JwksPath, (SigningKeyRing keys) =>
            TypedResults.Json(new JsonWebKeySetDocument([.. keys.Published().Select(key => key.PublicJwk)]), IdentityJsonContext.Default.JsonWebKeySetDocument));

        return endpoints;
    }

    /// <summary>
    /// Where the caller reached us: <c>Identity:PublicOrigin</c> when set, otherwise the request's own scheme,
    /// host and path base, so a client calling directly and one calling through the gateway both get URLs they can use.
    /// </summary>
    private static string PublicOrigin(HttpRequest request, IdentityServiceOptions options) =>
        string.IsNullOrEmpty(options.PublicOrigin)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : options.PublicOrigin.TrimEnd('/');
}
