using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Tests.Security;

public sealed class RouteAuthenticationStepTests : IAsyncLifetime
{
    private const string Protected = "/orders";
    private const string Anonymous = "/public";
    private TestTokenIssuer _issuer = null!;
    private SecurityTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestTokenIssuer.StartAsync();
        _host = await SecurityTestHost.StartAsync(
            SecurityTestHost.Providers(("Identity", _issuer.Authority)),
            [
                new TestRoute(Protected, new RouteAuthOptions { ProviderKeys = ["Identity"] }),
                new TestRoute(Anonymous, new RouteAuthOptions { ProviderKeys = ["Identity"], AllowAnonymous = true }),
            ]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task A_valid_token_passes_and_becomes_the_user()
    {
        var response = await SendAsync(HttpMethod.Get, Protected, _issuer.CreateToken(subject: "alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await response.Content.ReadFromJsonAsync<Echo>();
        Assert.Equal("alice", echo!.Subject);
    }

    [Fact]
    public async Task No_token_is_401_with_a_bare_bearer_challenge()
    {
        var response = await SendAsync(HttpMethod.Get, Protected, token: null);

        var detail = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, Protected);
        Assert.Contains("none was sent", detail);
        Assert.Equal("Bearer", ProblemAssert.Challenge(response));
    }

    [Fact]
    public async Task A_non_bearer_authorization_header_counts_as_no_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Protected);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "YWxhZGRpbjpvcGVuc2VzYW1l");

        var response = await _host.Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, Protected);
        Assert.Equal("Bearer", ProblemAssert.Challenge(response));
    }

    public static TheoryData<string, string> InvalidTokens() => new()
    {
        { "garbage", "The token is malformed" },
        { "expired", "The token expired" },
        { "other-key", "The token is signed with an unknown key" },
        { "wrong-audience", "The token audience is invalid" },
    };

    [Theory]
    [MemberData(nameof(InvalidTokens))]
    public async Task An_invalid_token_is_401_with_invalid_token_and_a_safe_description(string kind, string description)
    {
        var token = kind switch
        {
            "garbage" => "not-a.jwt.at-all",
            "expired" => _issuer.CreateToken(expires: DateTime.UtcNow.AddMinutes(-10)),
            "other-key" => _issuer.CreateToken(signWith: TestTokenIssuer.NewKey()),
            "wrong-audience" => _issuer.CreateToken(audience: "someone-else"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var response = await SendAsync(HttpMethod.Get, Protected, token);

        var detail = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, Protected);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{description}\"", ProblemAssert.Challenge(response));
        Assert.Contains(description, detail);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("IDX", body);
        Assert.DoesNotContain(token, body);
    }

    [Fact]
    public async Task A_token_signed_with_the_right_kid_but_another_key_is_rejected()
    {
        var forged = TestTokenIssuer.NewKey();
        forged.KeyId = _issuer.SigningKeyId;

        var response = await SendAsync(HttpMethod.Get, Protected, _issuer.CreateToken(signWith: forged));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, Protected);
        Assert.Contains("error=\"invalid_token\"", ProblemAssert.Challenge(response));
    }

    [Fact]
    public async Task An_allow_anonymous_route_needs_no_token()
    {
        var response = await SendAsync(HttpMethod.Get, Anonymous, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_options_preflight_skips_authentication()
    {
        var response = await SendAsync(HttpMethod.Options, Protected, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_issuer_is_only_contacted_once_for_many_requests()
    {
        for (var i = 0; i < 5; i++)
        {
            var response = await SendAsync(HttpMethod.Get, Protected, _issuer.CreateToken());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, _issuer.MetadataRequests);
    }

    [Fact]
    public async Task Provider_keys_are_tried_in_order_and_the_first_that_accepts_the_token_wins()
    {
        await using var partner = await TestTokenIssuer.StartAsync();
        await using var host = await SecurityTestHost.StartAsync(
            SecurityTestHost.Providers(("Identity", _issuer.Authority), ("Partner", partner.Authority)),
            [
                new TestRoute("/both", new RouteAuthOptions { ProviderKeys = ["Identity", "Partner"] }),
                new TestRoute("/identity-only", new RouteAuthOptions { ProviderKeys = ["Identity"] }),
            ]);
        var partnerToken = partner.CreateToken(subject: "partner-user");

        using var both = new HttpRequestMessage(HttpMethod.Get, "/both");
        both.Headers.Authorization = new AuthenticationHeaderValue("Bearer", partnerToken);
        var accepted = await host.Client.SendAsync(both);
        using var single = new HttpRequestMessage(HttpMethod.Get, "/identity-only");
        single.Headers.Authorization = new AuthenticationHeaderValue("Bearer", partnerToken);
        var rejected = await host.Client.SendAsync(single);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("partner-user", (await accepted.Content.ReadFromJsonAsync<Echo>())!.Subject);
        await ProblemAssert.IsProblemAsync(rejected, HttpStatusCode.Unauthorized, "/identity-only");
        Assert.Contains("error=\"invalid_token\"", ProblemAssert.Challenge(rejected));
    }

    [Fact]
    public async Task A_token_accepted_before_is_refused_once_it_expires()
    {
        var settings = SecurityTestHost.Providers(("Identity", _issuer.Authority));
        settings[$"{AuthenticationProviderSettings.SectionName}:Identity:ClockSkew"] = "00:00:00";
        await using var host = await SecurityTestHost.StartAsync(settings, [new TestRoute(Protected, new RouteAuthOptions { ProviderKeys = ["Identity"] })]);
        var token = _issuer.CreateToken(expires: DateTime.UtcNow.AddSeconds(2));

        var before = await SendAsync(host, token);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await SendAsync(host, token);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await ProblemAssert.IsProblemAsync(after, HttpStatusCode.Unauthorized, Protected);
        Assert.Contains("The token expired", ProblemAssert.Challenge(after));
    }

    private static async Task<HttpResponseMessage> SendAsync(SecurityTestHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Protected);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await host.Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _host.Client.SendAsync(request);
    }
}
