using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Tests.Security;

public sealed class ClaimsToDownstreamStepTests : IAsyncLifetime
{
    private const string Profile = "/profile/{id}";
    private const string Anonymous = "/anonymous";
    private TestTokenIssuer _issuer = null!;
    private SecurityTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestTokenIssuer.StartAsync();
        var transforms = new RouteAuthOptions
        {
            ProviderKeys = ["Identity"],
            AddHeadersToRequest = Expressions.Compile(new() { ["X-User-Id"] = "Claims[sub] > value" }),
            AddQueriesToRequest = Expressions.Compile(new() { ["customer"] = "Claims[customer] > value[1] > |" }),
            ChangeDownstreamPathTemplate = Expressions.Compile(new() { ["tenant"] = "Claims[org] > value" }),
        };
        _host = await SecurityTestHost.StartAsync(
            SecurityTestHost.Providers(("Identity", _issuer.Authority)),
            [
                new TestRoute(Profile, transforms),
                new TestRoute(Anonymous, new RouteAuthOptions
                {
                    AddHeadersToRequest = Expressions.Compile(new() { ["X-User-Id"] = "Claims[sub] > value" }),
                }),
            ]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task Claims_become_headers_query_parameters_and_path_placeholders()
    {
        var token = _issuer.CreateToken(subject: "42", claims: new Dictionary<string, object>
        {
            ["customer"] = "eu|c-17|gold",
            ["org"] = "acme",
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/profile/7?customer=spoofed&page=2");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-User-Id", "spoofed");

        var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await response.Content.ReadFromJsonAsync<Echo>();
        Assert.Equal("42", echo!.Headers["X-User-Id"]);
        Assert.Equal("?page=2&customer=c-17", echo.Query);
        Assert.Equal(new Dictionary<string, string> { ["tenant"] = "acme" }, echo.PathPlaceholders);
    }

    [Fact]
    public async Task A_missing_claim_is_403_naming_every_failed_setting()
    {
        var token = _issuer.CreateToken(claims: new Dictionary<string, object> { ["customer"] = "eu|c-17" });

        var response = await GetAsync("/profile/7", token);

        var detail = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, Profile);
        Assert.Contains("ChangeDownstreamPathTemplate 'tenant' failed: the user has no 'org' claim", detail);
    }

    [Fact]
    public async Task An_index_beyond_the_claim_parts_is_403()
    {
        var token = _issuer.CreateToken(claims: new Dictionary<string, object> { ["customer"] = "eu", ["org"] = "acme" });

        var response = await GetAsync("/profile/7", token);

        var detail = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, Profile);
        Assert.Contains("AddQueriesToRequest 'customer' failed", detail);
        Assert.Contains("no part 1", detail);
    }

    [Fact]
    public async Task A_route_without_authentication_cannot_send_claims_it_does_not_have()
    {
        var response = await GetAsync(Anonymous, token: null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, Anonymous);
    }

    [Fact]
    public async Task An_options_preflight_sends_no_claims_and_passes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/profile/7");

        var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("", "?customer=c")]
    [InlineData("?a=1&customer=x&customer=y&b=2", "?a=1&b=2&customer=c")]
    [InlineData("?q=a%20b", "?q=a%20b&customer=c")]
    public void Query_parameters_replace_those_of_the_same_name(string query, string expected)
    {
        var outcome = new ClaimsToDownstreamOutcome { QueryParameters = new Dictionary<string, string> { ["customer"] = "c" } };

        Assert.Equal(expected, outcome.ApplyTo(new Microsoft.AspNetCore.Http.QueryString(query)).Value);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _host.Client.SendAsync(request);
    }
}
