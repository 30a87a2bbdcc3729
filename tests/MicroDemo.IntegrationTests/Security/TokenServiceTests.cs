using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MicroDemo.IntegrationTests.Security;

/// <summary>
/// The token service over HTTP, called directly and through the gateway's <c>/connect/token</c> route:
/// both grants, every RFC 6749 §5.2 error, and the signing key surviving a restart.
/// </summary>
[Collection(SecurityStackCollection.Name)]
public sealed class TokenServiceTests(SecurityStack stack)
{
    private static readonly string[] OriginNames = ["direct", "gateway"];

    public static TheoryData<string> Origins => new(OriginNames);

    [Theory]
    [MemberData(nameof(Origins))]
    public async Task Client_credentials_grant_issues_an_access_token_for_the_requested_scope(string origin)
    {
        using var response = await stack.Tokens.RequestAsync(Origin(origin), "grant_type=client_credentials&scope=orders.read",
            TokenClient.Basic("demo-client", "demo-secret"));

        var token = await AssertIssuedAsync(response, "orders.read");
        Assert.Equal("demo-client", token.Subject);
    }

    [Theory]
    [MemberData(nameof(Origins))]
    public async Task Password_grant_issues_a_token_for_the_user_with_its_role(string origin)
    {
        using var response = await stack.Tokens.RequestAsync(Origin(origin),
            "grant_type=password&username=alice&password=alice-password&client_id=demo-spa&client_secret=spa-secret");

        var token = await AssertIssuedAsync(response, "users.read users.write orders.read orders.write");
        Assert.Equal("alice", token.Subject);
        Assert.Equal("admin", token.GetClaim("role").Value);
    }

    public static TheoryData<string, string, string, HttpStatusCode> Errors()
    {
        (string Form, string Error, HttpStatusCode Status)[] cases =
        [
            ("client_id=demo-client&client_secret=demo-secret", "invalid_request", HttpStatusCode.BadRequest),
            ("grant_type=client_credentials&client_id=demo-client&client_secret=wrong-secret", "invalid_client", HttpStatusCode.Unauthorized),
            ("grant_type=password&username=alice&password=wrong&client_id=demo-spa&client_secret=spa-secret", "invalid_grant", HttpStatusCode.BadRequest),
            ("grant_type=password&username=alice&password=alice-password&client_id=demo-client&client_secret=demo-secret", "unauthorized_client", HttpStatusCode.BadRequest),
            ("grant_type=authorization_code&code=abc&client_id=demo-client&client_secret=demo-secret", "unsupported_grant_type", HttpStatusCode.BadRequest),
            ("grant_type=client_credentials&scope=orders.write&client_id=readonly-client&client_secret=readonly-secret", "invalid_scope", HttpStatusCode.BadRequest),
        ];
        var data = new TheoryData<string, string, string, HttpStatusCode>();
        foreach (var origin in OriginNames)
        {
            foreach (var (form, error, status) in cases)
            {
                data.Add(origin, form, error, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Refused_token_request_answers_the_RFC_6749_error(string origin, string form, string error, HttpStatusCode status)
    {
        using var response = await stack.Tokens.RequestAsync(Origin(origin), form);

        await stack.AssertStatusAsync(response, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error_description").GetString()));
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.StartsWith("Basic ", Answers.Challenge(response));
        }
    }

    [Fact]
    public async Task Signing_key_survives_a_restart_and_earlier_tokens_stay_valid()
    {
        var kidsBefore = await PublishedKeyIdsAsync();
        var before = await stack.Tokens.ClientCredentialsAsync(stack.Gateway.Url, "demo-client", "demo-secret");

        await stack.RestartIdentityAsync();

        Assert.Equal(kidsBefore, await PublishedKeyIdsAsync());
        var after = await stack.Tokens.ClientCredentialsAsync(stack.Gateway.Url, "demo-client", "demo-secret");
        Assert.Equal(new JsonWebToken(before).Kid, new JsonWebToken(after).Kid);
        foreach (var token in new[] { before, after })
        {
            using var viaGateway = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Gateway.Url, "api/users"), token);
            await stack.AssertStatusAsync(viaGateway, HttpStatusCode.OK);
            using var direct = await stack.SendAsync(HttpMethod.Get, new Uri(stack.Users.Url, "users"), token);
            await stack.AssertStatusAsync(direct, HttpStatusCode.OK);
        }
    }

    private Uri Origin(string origin) => origin == "gateway" ? stack.Gateway.Url : stack.Identity.Url;

    private async Task<string[]> PublishedKeyIdsAsync()
    {
        var jwks = JsonDocument.Parse(await stack.Http.GetStringAsync(new Uri(stack.Identity.Url, ".well-known/jwks.json"))).RootElement;
        return [.. jwks.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];
    }

    private async Task<JsonWebToken> AssertIssuedAsync(HttpResponseMessage response, string scope)
    {
        await stack.AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(scope, body.GetProperty("scope").GetString());
        Assert.True(body.GetProperty("expires_in").GetInt32() > 0);

        var token = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal(stack.Issuer, token.Issuer);
        Assert.Equal(["microdemo"], token.Audiences);
        Assert.Equal(scope, token.GetClaim("scope").Value);
        return token;
    }
}
