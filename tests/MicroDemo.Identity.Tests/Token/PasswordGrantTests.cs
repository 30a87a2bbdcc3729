using Microsoft.IdentityModel.JsonWebTokens;
using static MicroDemo.Identity.Tests.TokenRequests;

namespace MicroDemo.Identity.Tests.Token;

public sealed class PasswordGrantTests(IdentityFactory identity) : IClassFixture<IdentityFactory>
{
    private readonly HttpClient _client = identity.CreateClient();

    [Fact]
    public async Task User_token_carries_the_user_as_subject_and_the_user_claims()
    {
        var body = await PasswordAsync(_client, "alice", AlicePassword);

        Assert.Equal("Bearer", body.TokenType);
        Assert.InRange(body.ExpiresIn, 3590, 3600);
        Assert.Equal("users.read users.write orders.read orders.write", body.Scope);

        var token = new JsonWebToken(body.AccessToken);
        Assert.Equal(IdentityFactory.Issuer, token.Issuer);
        Assert.Equal([IdentityFactory.Audience], token.Audiences);
        Assert.Equal("alice", token.Subject);
        Assert.Equal(SpaClient, token.GetClaim("client_id").Value);
        Assert.Equal(body.Scope, token.GetClaim("scope").Value);
        Assert.Equal("Alice Admin", token.GetClaim("name").Value);
        Assert.Equal("alice", token.GetClaim("preferred_username").Value);
        Assert.Equal("alice@microdemo.local", token.GetClaim("email").Value);
        Assert.Equal(["admin"], token.Claims.Where(claim => claim.Type == "role").Select(claim => claim.Value));
        Assert.True(Guid.TryParse(token.Id, out _), token.Id);
        Assert.Equal(token.IssuedAt.AddHours(1), token.ValidTo);
    }

    [Fact]
    public async Task Requested_scope_narrows_a_user_token()
    {
        var body = await PasswordAsync(_client, "bob", BobPassword, scope: "orders.read");

        var token = new JsonWebToken(body.AccessToken);
        Assert.Equal("orders.read", body.Scope);
        Assert.Equal("bob", token.Subject);
        Assert.Equal("Bob User", token.GetClaim("name").Value);
        Assert.Equal(["user"], token.Claims.Where(claim => claim.Type == "role").Select(claim => claim.Value));
    }
}
