using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MicroDemo.Bench.Backend;

/// <summary>
/// A minimal OpenID Connect issuer for the authenticated bench arm: discovery metadata, a JWKS with one RSA key
/// made at startup, and <c>GET /token?aud=..&amp;scope=..</c> minting an RS256 token valid for an hour. The token is
/// the shape services/identity issues (iss, aud, sub, scope, iat, nbf, exp), so the gateway does the same work.
/// </summary>
public sealed class BenchIssuer
{
    private const string KeyId = "bench";
    private readonly RSA _key = RSA.Create(2048);

    public string CreateToken(string issuer, string audience, string scope)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["kid"] = KeyId, ["typ"] = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuer, ["aud"] = audience, ["sub"] = "42", ["scope"] = scope, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
        }));
        var signed = header + "." + payload;
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    public object Jwks()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
                    ["n"] = Base64Url(parameters.Modulus!), ["e"] = Base64Url(parameters.Exponent!),
                },
            },
        };
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public static class BenchIssuerMiddleware
{
    /// <summary>Answers the issuer's three paths and passes everything else on (no endpoint routing: the payload
    /// path stays as cheap as before).</summary>
    public static void UseBenchIssuer(this WebApplication app, BenchIssuer issuer) => app.Use(next => context =>
    {
        var request = context.Request;
        var authority = $"{request.Scheme}://{request.Host}";
        return request.Path.Value switch
        {
            "/.well-known/openid-configuration" => context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["issuer"] = authority,
                ["jwks_uri"] = authority + "/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }),
            "/jwks" => context.Response.WriteAsJsonAsync(issuer.Jwks()),
            "/token" => context.Response.WriteAsync(issuer.CreateToken(
                authority, request.Query["aud"] is { Count: 1 } aud ? aud[0]! : "bench", request.Query["scope"] is { Count: 1 } scope ? scope[0]! : "bench")),
            _ => next(context),
        };
    });
}
