using System.Net;
using System.Net.Http.Headers;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Tests.Security;

public sealed class IssuerMetadataManagerTests : IAsyncLifetime
{
    private const string Route = "/orders";
    private readonly List<IAsyncDisposable> _cleanup = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup))
        {
            await item.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_gateway_starts_while_the_issuer_is_down_and_the_first_request_after_it_is_up_succeeds()
    {
        var issuer = Track(TestTokenIssuer.NotStarted());
        var host = Track(await StartHostAsync(issuer));
        var token = issuer.CreateToken();

        var whileDown = await GetAsync(host, token);
        var detail = await ProblemAssert.IsProblemAsync(whileDown, HttpStatusCode.ServiceUnavailable, Route);
        Assert.Contains("'Identity' cannot be reached", detail);
        var withoutToken = await GetAsync(host, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);

        await issuer.StartAsync();
        var afterStart = await GetAsync(host, token);

        Assert.Equal(HttpStatusCode.OK, afterStart.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_a_rotated_key_validates_on_its_first_request()
    {
        var issuer = Track(await TestTokenIssuer.StartAsync());
        var clock = new ManualClock();
        var host = Track(await StartHostAsync(issuer, clock));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, issuer.CreateToken())).StatusCode);

        issuer.RotateKey();
        clock.Advance(TimeSpan.FromSeconds(31));
        var response = await GetAsync(host, issuer.CreateToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, issuer.MetadataRequests);
    }

    [Fact]
    public async Task Unknown_key_ids_refresh_the_keys_at_most_once_per_minimum_refresh_interval()
    {
        var issuer = Track(await TestTokenIssuer.StartAsync());
        var clock = new ManualClock();
        var host = Track(await StartHostAsync(issuer, clock));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, issuer.CreateToken())).StatusCode);

        for (var i = 0; i < 3; i++)
        {
            var forged = await GetAsync(host, issuer.CreateToken(signWith: TestTokenIssuer.NewKey()));
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        Assert.Equal(1, issuer.MetadataRequests);
        clock.Advance(TimeSpan.FromSeconds(31));
        await GetAsync(host, issuer.CreateToken(signWith: TestTokenIssuer.NewKey()));
        Assert.Equal(2, issuer.MetadataRequests);
    }

    [Fact]
    public async Task Known_keys_keep_working_when_a_refresh_finds_the_issuer_down()
    {
        var issuer = Track(await TestTokenIssuer.StartAsync());
        var clock = new ManualClock();
        var host = Track(await StartHostAsync(issuer, clock));
        var token = issuer.CreateToken();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, token)).StatusCode);

        await issuer.DisposeAsync();
        clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, token)).StatusCode);
    }

    private T Track<T>(T item) where T : IAsyncDisposable
    {
        _cleanup.Add(item);
        return item;
    }

    private static Task<SecurityTestHost> StartHostAsync(TestTokenIssuer issuer, TimeProvider? clock = null) =>
        SecurityTestHost.StartAsync(
            SecurityTestHost.Providers(("Identity", issuer.Authority)),
            [new TestRoute(Route, new RouteAuthOptions { ProviderKeys = ["Identity"] })],
            clock);

    private static async Task<HttpResponseMessage> GetAsync(SecurityTestHost host, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Route);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await host.Client.SendAsync(request);
    }
}
