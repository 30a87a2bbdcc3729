using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Tests.Security;

public sealed class RouteAuthorizationStepTests : IAsyncLifetime
{
    private TestTokenIssuer _issuer = null!;
    private SecurityTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestTokenIssuer.StartAsync();
        var identity = new[] { "Identity" };
        _host = await SecurityTestHost.StartAsync(
            SecurityTestHost.Providers(("Identity", _issuer.Authority)),
            [
                new TestRoute("/orders", new RouteAuthOptions { ProviderKeys = identity, AllowedScopes = ["orders.read", "orders.admin"] }),
                new TestRoute("/admin", new RouteAuthOptions
                {
                    ProviderKeys = identity,
                    ClaimsRequirement = new Dictionary<string, string> { ["role"] = "admin" },
                }),
                new TestRoute("/users/{userId}", new RouteAuthOptions
                {
                    ProviderKeys = identity,
                    ClaimsRequirement = new Dictionary<string, string> { ["sub"] = "{userId}" },
                }),
                new TestRoute("/tenants/{tenant}", new RouteAuthOptions
                {
                    ProviderKeys = identity,
                    AddClaimsToRequest = Expressions.Compile(new() { ["tenant"] = "Claims[org] > value[0] > /" }),
                    ClaimsRequirement = new Dictionary<string, string> { ["tenant"] = "{tenant}" },
                }),
                new TestRoute("/missing-placeholder", new RouteAuthOptions
                {
                    ProviderKeys = identity,
                    ClaimsRequirement = new Dictionary<string, string> { ["sub"] = "{userId}" },
                }),
            ]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Theory]
    [InlineData("orders.read")]
    [InlineData("users.read orders.admin")]
    public async Task A_token_with_one_of_the_allowed_scopes_passes(string scope)
    {
        var response = await GetAsync("/orders", _issuer.CreateToken(scope: scope));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Scopes_sent_as_several_claims_are_all_considered()
    {
        var token = _issuer.CreateToken(claims: new Dictionary<string, object> { ["scope"] = new[] { "users.read", "orders.read" } });

        var response = await GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("users.read")]
    [InlineData("orders")]
    [InlineData(null)]
    public async Task A_token_without_an_allowed_scope_is_403_insufficient_scope(string? scope)
    {
        var response = await GetAsync("/orders", _issuer.CreateToken(scope: scope));

        var detail = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "/orders");
        Assert.Contains("orders.read orders.admin", detail);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders.read orders.admin\"", ProblemAssert.Challenge(response));
    }

    [Theory]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("user", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Forbidden)]
    public async Task A_claims_requirement_with_a_fixed_value(string? role, HttpStatusCode expected)
    {
        var claims = role is null ? null : new Dictionary<string, object> { ["role"] = role };

        var response = await GetAsync("/admin", _issuer.CreateToken(claims: claims));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            var detail = await ProblemAssert.IsProblemAsync(response, expected, "/admin");
            Assert.Contains("'role' claim", detail);
            Assert.Null(ProblemAssert.Challenge(response));
        }
    }

    [Fact]
    public async Task A_role_among_several_role_claims_satisfies_the_requirement()
    {
        var token = _issuer.CreateToken(claims: new Dictionary<string, object> { ["role"] = new[] { "user", "admin" } });

        var response = await GetAsync("/admin", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/users/42", HttpStatusCode.OK)]
    [InlineData("/users/43", HttpStatusCode.Forbidden)]
    public async Task A_claims_requirement_with_a_placeholder_compares_with_the_url(string path, HttpStatusCode expected)
    {
        var response = await GetAsync(path, _issuer.CreateToken(subject: "42"));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_placeholder_the_route_does_not_capture_is_403()
    {
        var response = await GetAsync("/missing-placeholder", _issuer.CreateToken());

        var detail = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "/missing-placeholder");
        Assert.Contains("{userId}", detail);
    }

    [Theory]
    [InlineData("/tenants/acme", HttpStatusCode.OK)]
    [InlineData("/tenants/other", HttpStatusCode.Forbidden)]
    public async Task Claims_added_to_the_request_take_part_in_authorization(string path, HttpStatusCode expected)
    {
        var token = _issuer.CreateToken(claims: new Dictionary<string, object> { ["org"] = "acme/eu" });

        var response = await GetAsync(path, token);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            var echo = await response.Content.ReadFromJsonAsync<Echo>();
            Assert.Contains("tenant=acme", echo!.Claims);
        }
    }

    [Fact]
    public async Task Claims_added_for_one_request_do_not_stay_with_the_token()
    {
        var token = _issuer.CreateToken(claims: new Dictionary<string, object> { ["org"] = "acme/eu" }, scope: "orders.read");

        var tenant = await GetAsync("/tenants/acme", token);
        var orders = await GetAsync("/orders", token);

        Assert.Contains("tenant=acme", (await tenant.Content.ReadFromJsonAsync<Echo>())!.Claims);
        Assert.DoesNotContain((await orders.Content.ReadFromJsonAsync<Echo>())!.Claims, claim => claim.StartsWith("tenant=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_claim_for_add_claims_to_request_is_403()
    {
        var response = await GetAsync("/tenants/acme", _issuer.CreateToken());

        var detail = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "/tenants/{tenant}");
        Assert.Contains("no 'org' claim", detail);
    }

    [Fact]
    public async Task An_options_preflight_skips_authorization()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/admin");

        var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _host.Client.SendAsync(request);
    }
}
