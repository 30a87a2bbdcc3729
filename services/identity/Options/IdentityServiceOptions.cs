namespace MicroDemo.Identity.Options;

/// <summary>The <c>Identity</c> configuration section of the token service.</summary>
public sealed record IdentityServiceOptions
{
    public const string SectionName = "Identity";

    /// <summary>
    /// The <c>iss</c> of every token and the <c>issuer</c> of the discovery document. Fixed rather than
    /// derived from the request: a token fetched through the gateway and one fetched directly must carry
    /// the same issuer, because resource servers compare it with the issuer of the metadata they fetched.
    /// </summary>
    public string Issuer { get; init; } = "http://127.0.0.1:5010";

    /// <summary>
    /// Scheme, host and optional path base used for the endpoint URLs of the discovery document.
    /// Empty: taken from each request, so whoever asked (gateway or direct caller) gets URLs it can reach.
    /// </summary>
    public string? PublicOrigin { get; init; }

    /// <summary>The <c>aud</c> of every access token.</summary>
    public string Audience { get; init; } = "microdemo";

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The signing key file; relative paths are resolved against the content root.</summary>
    public string KeyPath { get; init; } = "data/signing-keys.json";

    /// <summary>
    /// The SQLite file of OpenIddict's stores (clients, and every issued token, so that tokens can be introspected
    /// and revoked). Empty: <c>identity.db</c> beside the key file, so it lives in the same run folder or volume.
    /// </summary>
    public string? DatabasePath { get; init; }

    /// <summary>
    /// When true, the key announced at the previous start becomes the signing key, a new key is announced,
    /// and the old key stays published until the tokens it signed have expired. Pass it once
    /// (<c>--Identity:RotateKey=true</c>); leaving it on rotates at every start.
    /// </summary>
    public bool RotateKey { get; init; }

    /// <summary>Every scope a client may be allowed; published as <c>scopes_supported</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Clients keyed by <c>client_id</c>.</summary>
    public IReadOnlyDictionary<string, ClientOptions> Clients { get; init; } = new Dictionary<string, ClientOptions>();

    /// <summary>
    /// Resource servers (APIs) keyed by their name, which they use as <c>client_id</c> at the introspection endpoint.
    /// OpenIddict answers an introspection request in full only for an API named in the token's audience, so the API
    /// that validates this service's tokens is named like <see cref="Audience"/>.
    /// </summary>
    public IReadOnlyDictionary<string, ApiOptions> Apis { get; init; } = new Dictionary<string, ApiOptions>();

    /// <summary>Users of the password grant, keyed by user name.</summary>
    public IReadOnlyDictionary<string, UserOptions> Users { get; init; } = new Dictionary<string, UserOptions>();
}

public sealed record ClientOptions
{
    /// <summary>The client secret as a <see cref="Secrets.SecretHash"/> hash, never in clear.</summary>
    public string SecretHash { get; init; } = "";

    /// <summary><c>client_credentials</c> and/or <c>password</c>.</summary>
    public IReadOnlyList<string> AllowedGrantTypes { get; init; } = [];

    /// <summary>Scopes the client may request; a request without <c>scope</c> gets all of them.</summary>
    public IReadOnlyList<string> AllowedScopes { get; init; } = [];

    /// <summary>
    /// True: the client's access tokens are reference tokens, opaque handles that resource servers check at the
    /// introspection endpoint, instead of self-contained JWTs. A revoked reference token stops working at once
    /// (or within a resource server's introspection cache time); a JWT works until it expires.
    /// </summary>
    public bool ReferenceTokens { get; init; }
}

public sealed record ApiOptions
{
    /// <summary>The API's introspection secret as a <see cref="Secrets.SecretHash"/> hash, never in clear.</summary>
    public string SecretHash { get; init; } = "";
}

public sealed record UserOptions
{
    /// <summary>The <c>sub</c> claim; the user name when empty.</summary>
    public string? SubjectId { get; init; }

    /// <summary>The password as a <see cref="Secrets.SecretHash"/> hash, never in clear.</summary>
    public string PasswordHash { get; init; } = "";

    /// <summary>The <c>name</c> claim.</summary>
    public string? Name { get; init; }

    public string? Email { get; init; }

    /// <summary>One <c>role</c> claim each.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];
}
