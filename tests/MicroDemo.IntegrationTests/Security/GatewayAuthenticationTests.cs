using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MicroDemo.IntegrationTests.Security;

/// <summary>
/// Authentication and authorization at the gateway, with the demo routes of the repository's ocelot.json:
/// tokens from the real token service, and forged ones that are wrong in exactly one respect.
/// </summary>
[Collection(SecurityStackCollection.Name)]
public sealed class GatewayAuthenticationTests(SecurityStack stack)
{
    [Fact]
    public async Task Request_without_a_token_is_answered_401_with_a_bare_Bearer_challenge()
    {
        using var response = await stack.SendAsync(HttpMethod.Get, Gateway("api/users"), token: null);

        await stack.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Answers.Challenge(response));
    }

    [Theory]
    [InlineData("identity's key, as issued", HttpStatusCode.OK, null)]
    [InlineData("not a JWT", HttpStatusCode.Unauthorized, "The token is malformed")]
    [InlineData("expired", HttpStatusCode.Unauthorized, "The token expired")]
    [InlineData("another audience", HttpStatusCode.Unauthorized, "The token audience is invalid")]
    [InlineData("another issuer", HttpStatusCode.Unauthorized, "The token issuer is invalid")]
    [InlineData("an ID token's typ", HttpStatusCode.Unauthorized, "The token type (typ) is not accepted; send an access token (at+jwt)")] // refused by orders itself
    [InlineData("another key, unknown kid", HttpStatusCode.Unauthorized, null)]
    [InlineData("another key, identity's kid", HttpStatusCode.Unauthorized, null)]
    public async Task Token_wrong_in_one_respect_is_refused_with_invalid_token(string token, HttpStatusCode expected, string? description)
    {
        // Not /api/users: its cached answer would hide a token that only the service behind refuses.
        using var response = await stack.SendAsync(HttpMethod.Get, Gateway("api/orders"), await ForgeAsync(token));

        if (expected == HttpStatusCode.OK)
        {
            // The control row: a minted token passes when nothing is wrong with it, so the other rows fail for their one flaw.
            await stack.AssertStatusAsync(response, HttpStatusCode.OK);
            return;
        }

        await stack.AssertProblemAsync(response, expected);
        var challenge = Answers.Challenge(response);
        Assert.StartsWith("Bearer error=\"invalid_token\"", challenge);
        if (description is not null)
        {
            Assert.Contains($"error_description=\"{description}\"", challenge);
        }
    }

    [Theory]
    [InlineData("readonly-client", "readonly-secret", "POST", "api/orders", HttpStatusCode.Forbidden)]
    [InlineData("readonly-client", "readonly-secret", "POST", "api/users", HttpStatusCode.Forbidden)]
    [InlineData("readonly-client", "readonly-secret", "GET", "api/orders", HttpStatusCode.OK)]
    [InlineData("readonly-client", "readonly-secret", "GET", "api/users", HttpStatusCode.OK)]
    [InlineData("demo-client", "demo-secret", "GET", "api/users", HttpStatusCode.OK)]
    public async Task Route_needs_one_of_its_AllowedScopes(string client, string secret, string method, string path, HttpStatusCode expected)
    {
        var token = await stack.Tokens.ClientCredentialsAsync(stack.Gateway.Url, client, secret);

        // Refused writes never reach a service, so their body does not matter.
        using var response = await stack.SendAsync(new HttpMethod(method), Gateway(path), token, method == "POST" ? JsonContent.Create(new { }) : null);

        if (expected == HttpStatusCode.Forbidden)
        {
            await stack.AssertProblemAsync(response, expected);
            Assert.StartsWith("Bearer error=\"insufficient_scope\"", Answers.Challenge(response));
        }
        else
        {
            await stack.AssertStatusAsync(response, expected);
        }
    }

    [Fact]
    public async Task Deleting_a_user_needs_the_admin_role_of_RouteClaimsRequirement()
    {
        var userId = await CreateUserAsync();
        var bob = await stack.Tokens.PasswordAsync(stack.Gateway.Url, "bob", "bob-password");
        var alice = await stack.Tokens.PasswordAsync(stack.Gateway.Url, "alice", "alice-password");

        using var byBob = await stack.SendAsync(HttpMethod.Delete, Gateway($"api/users/{userId}"), bob);
        var refusal = await stack.AssertProblemAsync(byBob, HttpStatusCode.Forbidden);
        Assert.Contains("'role'", refusal.GetProperty("detail").GetString());
        using var stillThere = await stack.SendAsync(HttpMethod.Get, Gateway($"api/users/{userId}"), bob);
        await stack.AssertStatusAsync(stillThere, HttpStatusCode.OK);

        using var byAlice = await stack.SendAsync(HttpMethod.Delete, Gateway($"api/users/{userId}"), alice);
        await stack.AssertStatusAsync(byAlice, HttpStatusCode.NoContent);
        using var gone = await stack.SendAsync(HttpMethod.Get, Gateway($"api/users/{userId}"), alice);
        await stack.AssertStatusAsync(gone, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("mallory")]
    public async Task Order_placed_through_the_gateway_is_created_by_the_token_subject(string? claimedCreator)
    {
        var userId = await CreateUserAsync();
        var alice = await stack.Tokens.PasswordAsync(stack.Gateway.Url, "alice", "alice-password");
        using var request = SecurityStack.Request(HttpMethod.Post, Gateway("api/orders"), alice, JsonContent.Create(new { userId, product = "Keyboard", quantity = 1 }));
        if (claimedCreator is not null)
        {
            // AddHeadersToRequest replaces what the client sent: the header cannot be forged through the gateway.
            request.Headers.Add("X-Created-By", claimedCreator);
        }

        using var response = await stack.Http.SendAsync(request);

        await stack.AssertStatusAsync(response, HttpStatusCode.Created);
        var order = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(new JsonWebToken(alice).Subject, order.GetProperty("createdBy").GetString());
        Assert.Equal("alice", order.GetProperty("createdBy").GetString());
    }

    private Uri Gateway(string path) => new(stack.Gateway.Url, path);

    private async Task<long> CreateUserAsync()
    {
        var token = await stack.Tokens.ClientCredentialsAsync(stack.Gateway.Url, "demo-client", "demo-secret");
        using var response = await stack.SendAsync(HttpMethod.Post, Gateway("api/users"), token,
            JsonContent.Create(new { name = "Eve", email = $"eve-{Guid.NewGuid():N}@example.com" }));
        await stack.AssertStatusAsync(response, HttpStatusCode.Created);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }

    private async Task<string> ForgeAsync(string kind)
    {
        if (kind == "not a JWT")
        {
            return "this.is-not.a-token";
        }

        var issued = await stack.Tokens.ClientCredentialsAsync(stack.Gateway.Url, "demo-client", "demo-secret");
        var keyId = new JsonWebToken(issued).Kid;
        var forge = new ForgedTokens(stack.Issuer, "microdemo");
        using var identityKey = ForgedTokens.ReadActiveKey(stack.KeyFile);
        using var otherKey = RSA.Create(2048);
        return kind switch
        {
            "identity's key, as issued" => forge.Mint(identityKey, keyId, new ForgedTokens.Shape()),
            "expired" => forge.Mint(identityKey, keyId, new ForgedTokens.Shape { Expires = DateTimeOffset.UtcNow.AddMinutes(-10) }),
            "another audience" => forge.Mint(identityKey, keyId, new ForgedTokens.Shape { Audience = "another-api" }),
            "another issuer" => forge.Mint(identityKey, keyId, new ForgedTokens.Shape { Issuer = "http://127.0.0.1:1/" }),
            "an ID token's typ" => forge.Mint(identityKey, keyId, new ForgedTokens.Shape { TokenType = "JWT" }),
            "another key, unknown kid" => forge.Mint(otherKey, "forged-key", new ForgedTokens.Shape()),
            "another key, identity's kid" => forge.Mint(otherKey, keyId, new ForgedTokens.Shape()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }
}
