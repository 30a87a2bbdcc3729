using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static MicroDemo.Identity.Tests.TokenRequests;

namespace MicroDemo.Identity.Tests.Discovery;

public sealed class DiscoveryEndpointsTests(IdentityFactory identity) : IClassFixture<IdentityFactory>
{
    private readonly HttpClient _client = identity.CreateClient();

    [Fact]
    public async Task Discovery_document_has_the_fixed_issuer_and_endpoint_urls_of_the_caller()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Host = "gateway.example:8080";

        using var document = JsonDocument.Parse(await (await _client.SendAsync(request)).Content.ReadAsStringAsync());
        var root = document.RootElement;

        Assert.Equal(IdentityFactory.Issuer, root.GetProperty("issuer").GetString());
        Assert.Equal("http://gateway.example:8080/connect/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal("http://gateway.example:8080/.well-known/jwks.json", root.GetProperty("jwks_uri").GetString());
        Assert.Equal(["client_credentials", "password"], Strings(root, "grant_types_supported"));
        Assert.Equal(["users.read", "users.write", "orders.read", "orders.write", "gateway.admin"], Strings(root, "scopes_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post"], Strings(root, "token_endpoint_auth_methods_supported"));
        Assert.Equal(["RS256"], Strings(root, "id_token_signing_alg_values_supported"));
    }

    [Fact]
    public async Task Configured_public_origin_replaces_the_request_host()
    {
        using var configured = new IdentityFactory { Settings = new Dictionary<string, string?> { ["Identity:PublicOrigin"] = "https://login.example/" } };

        using var document = JsonDocument.Parse(await configured.CreateClient().GetStringAsync("/.well-known/openid-configuration"));

        Assert.Equal("https://login.example/connect/token", document.RootElement.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://login.example/.well-known/jwks.json", document.RootElement.GetProperty("jwks_uri").GetString());
    }

    [Fact]
    public async Task Jwks_publishes_the_active_and_the_announced_rsa_public_keys()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/.well-known/jwks.json"));

        var keys = document.RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal(2, keys.Length);
        Assert.All(keys, key =>
        {
            Assert.Equivalent(new[] { "kty", "use", "kid", "alg", "n", "e" }, key.EnumerateObject().Select(property => property.Name).ToArray(), strict: true);
            Assert.Equal("RSA", key.GetProperty("kty").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.Equal("RS256", key.GetProperty("alg").GetString());
            Assert.Equal("AQAB", key.GetProperty("e").GetString());
            Assert.Equal(256, Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()).Length);

            // The kid is the RFC 7638 thumbprint of the public key.
            var jwk = new JsonWebKey(key.GetRawText());
            Assert.Equal(Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()), jwk.Kid);
        });
        Assert.NotEqual(keys[0].GetProperty("kid").GetString(), keys[1].GetProperty("kid").GetString());
    }

    [Fact]
    public async Task Issued_token_validates_against_the_published_jwks()
    {
        var token = (await ClientCredentialsAsync(_client)).AccessToken;

        var result = await ValidateAsync(token, await _client.GetStringAsync("/.well-known/jwks.json"));

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(DemoClient, result.Claims["sub"]);
    }

    [Fact]
    public async Task Tampered_token_does_not_validate()
    {
        var token = (await ClientCredentialsAsync(_client, ReadonlyClient, ReadonlySecret)).AccessToken;
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("users.read orders.read", "users.write orders.read");
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        var result = await ValidateAsync(tampered, await _client.GetStringAsync("/.well-known/jwks.json"));

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidSignatureException>(result.Exception);
    }

    /// <summary>Validates as a resource server would: issuer, audience, lifetime, type and the JWKS keys.</summary>
    public static Task<TokenValidationResult> ValidateAsync(string token, string jwks) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = IdentityFactory.Issuer,
            ValidAudience = IdentityFactory.Audience,
            ValidTypes = ["at+jwt"],
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
        });

    private static string[] Strings(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(item => item.GetString()!)];
}
