using MicroDemo.Identity.Keys;

namespace MicroDemo.Identity.Discovery;

/// <summary>
/// Authorization server metadata (RFC 8414, served at the OpenID Connect discovery path that JwtBearer reads).
/// This service issues access tokens only, no ID tokens; <c>id_token_signing_alg_values_supported</c> is
/// there because OpenID Connect clients require the field, and it names the algorithm of our access tokens too.
/// </summary>
public sealed record DiscoveryDocument(
    string Issuer,
    string TokenEndpoint,
    string JwksUri,
    IReadOnlyList<string> GrantTypesSupported,
    IReadOnlyList<string> ScopesSupported,
    IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    IReadOnlyList<string> ClaimsSupported);

/// <summary>RFC 7517 §5.</summary>
public sealed record JsonWebKeySetDocument(IReadOnlyList<PublicJsonWebKey> Keys);
