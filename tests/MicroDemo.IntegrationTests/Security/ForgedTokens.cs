using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.IntegrationTests.Security;

/// <summary>
/// Access tokens minted by the test, in the token service's shape (RFC 9068), so that each one differs from
/// a good token in exactly one respect: its lifetime, audience, issuer, type or signing key.
/// </summary>
public sealed class ForgedTokens(string issuer, string audience)
{
    /// <summary>What a token holds; the defaults make a token the stack accepts when signed with identity's key.</summary>
    public sealed record Shape
    {
        public string? Issuer { get; init; }

        public string? Audience { get; init; }

        public DateTimeOffset Expires { get; init; } = DateTimeOffset.UtcNow.AddMinutes(10);

        public string Scope { get; init; } = "users.read users.write orders.read orders.write";

        /// <summary>The JWT header's <c>typ</c>; RFC 9068 access tokens say <c>at+jwt</c>.</summary>
        public string TokenType { get; init; } = "at+jwt";
    }

    /// <summary>Identity's signing key, read from its key file (snake_case JSON, private key as base64 PKCS#8).</summary>
    public static RSA ReadActiveKey(string keyFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(keyFile));
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(document.RootElement.GetProperty("active").GetProperty("private_key").GetString()!), out _);
        return rsa;
    }

    public string Mint(RSA key, string keyId, Shape shape)
    {
        var issuedAt = shape.Expires.AddMinutes(-30).UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = shape.TokenType,
            Issuer = shape.Issuer ?? issuer,
            Audience = shape.Audience ?? audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = shape.Expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "forged-client",
                ["client_id"] = "forged-client",
                ["scope"] = shape.Scope,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            // A factory per token: the shared one caches signers by kid, and two keys here share the real kid.
            SigningCredentials = new SigningCredentials(
                new RsaSecurityKey(key) { KeyId = keyId, CryptoProviderFactory = new CryptoProviderFactory() }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
