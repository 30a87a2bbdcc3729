using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using static MicroDemo.Identity.Tests.TokenRequests;

namespace MicroDemo.Identity.Tests.Token;

public sealed class ClientCredentialsGrantTests(IdentityFactory identity) : IClassFixture<IdentityFactory>
{
    private readonly HttpClient _client = identity.CreateClient();

    [Fact]
    public async Task Basic_authenticated_client_gets_a_signed_token_with_every_claim()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var response = await PostAsync(_client, [("grant_type", "client_credentials")], Basic(DemoClient, DemoSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", Assert.Single(response.Headers.Pragma).Name);

        var body = (await response.Content.ReadFromJsonAsync<TokenResult>())!;
        Assert.Equal("Bearer", body.TokenType);
        // expires_in counts from the moment the response is written, a fraction of a second after iat.
        Assert.InRange(body.ExpiresIn, 3590, 3600);
        Assert.Equal("users.read users.write orders.read orders.write", body.Scope);

        var token = new JsonWebToken(body.AccessToken);
        Assert.Equal("RS256", token.Alg);
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal(await ActiveKeyIdAsync(), token.Kid);
        Assert.Equal(IdentityFactory.Issuer, token.Issuer);
        Assert.Equal([IdentityFactory.Audience], token.Audiences);
        Assert.Equal(DemoClient, token.Subject);
        Assert.Equal(DemoClient, token.GetClaim("client_id").Value);
        Assert.Equal(body.Scope, token.GetClaim("scope").Value);
        Assert.True(Guid.TryParse(token.Id, out _), token.Id);
        Assert.InRange(token.IssuedAt, before.UtcDateTime, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(token.IssuedAt.AddHours(1), token.ValidTo);
        Assert.False(token.TryGetClaim("name", out _));
        Assert.False(token.TryGetClaim("role", out _));
    }

    [Fact]
    public async Task Client_may_authenticate_with_body_parameters()
    {
        var response = await PostAsync(_client, [("grant_type", "client_credentials"), ("client_id", ReadonlyClient), ("client_secret", ReadonlySecret)]);

        var body = await ReadSuccessAsync(response);
        Assert.Equal("users.read orders.read", body.Scope);
        Assert.Equal(ReadonlyClient, new JsonWebToken(body.AccessToken).Subject);
    }

    [Fact]
    public async Task Token_response_is_one_line_of_json_that_sed_can_read()
    {
        var response = await PostAsync(_client, [("grant_type", "client_credentials")], Basic(DemoClient, DemoSecret));

        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain('\n', body);
        Assert.Matches("\"access_token\":\"[^\"]+\"", body);
    }

    [Fact]
    public async Task Each_token_has_its_own_jti()
    {
        var first = new JsonWebToken((await ClientCredentialsAsync(_client)).AccessToken);
        var second = new JsonWebToken((await ClientCredentialsAsync(_client)).AccessToken);

        Assert.NotEqual(first.Id, second.Id);
    }

    [Theory]
    [InlineData(DemoClient, DemoSecret, "users.read", "users.read")]
    [InlineData(DemoClient, DemoSecret, "orders.write users.read", "orders.write users.read")]
    [InlineData(DemoClient, DemoSecret, "users.read  users.read", "users.read")]
    [InlineData(AdminClient, AdminSecret, "gateway.admin", "gateway.admin")]
    [InlineData(AdminClient, AdminSecret, "", "users.read users.write orders.read orders.write gateway.admin")]
    public async Task Granted_scope_is_the_requested_subset_or_all_allowed_when_none_is_requested(string clientId, string secret, string requested, string granted)
    {
        var body = await ClientCredentialsAsync(_client, clientId, secret, requested);

        Assert.Equal(granted, body.Scope);
        Assert.Equal(granted, new JsonWebToken(body.AccessToken).GetClaim("scope").Value);
    }

    private async Task<string> ActiveKeyIdAsync()
    {
        using var jwks = JsonDocument.Parse(await _client.GetStringAsync("/.well-known/jwks.json"));
        return jwks.RootElement.GetProperty("keys")[0].GetProperty("kid").GetString()!;
    }
}
