using System.Text.Json.Nodes;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>Two downstreams named "one" and "two" behind static DownstreamHostAndPorts.</summary>
public sealed class LoadBalancingThroughGatewayTests : IAsyncLifetime
{
    private Downstream _one = null!;
    private Downstream _two = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _one = await Downstream.StartAsync("one");
        _two = await Downstream.StartAsync("two");
        _gateway = GatewayServer.Start(OcelotJson(
        [
            Balanced("/rr/{rest}", new { Type = "RoundRobin" }),
            Balanced("/least/{rest}", new { Type = "LeastConnection" }),
            Balanced("/sticky/{rest}", new { Type = "CookieStickySessions", Key = "session", Expiry = 60000 }),
        ]));
        _client = _gateway.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await _gateway.DisposeAsync();
        await _one.DisposeAsync();
        await _two.DisposeAsync();
    }

    [Fact]
    public async Task RoundRobin_alternates()
    {
        var servers = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            servers.Add(await ServerAsync("/rr/x"));
        }

        Assert.All(servers.Zip(servers.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.Equal(5, servers.Count(s => s == "one"));
    }

    [Fact]
    public async Task LeastConnection_avoids_the_busy_downstream()
    {
        var held = _client.GetAsync("/least/hold");
        await Eventually.TrueAsync(() => Task.FromResult(_one.InFlight + _two.InFlight == 1), "one request is held by a downstream");
        var busy = _one.InFlight == 1 ? "one" : "two";

        var servers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            servers.Add(await ServerAsync("/least/x"));
        }

        Assert.All(servers, server => Assert.NotEqual(busy, server));
        _one.ReleaseHeld();
        _two.ReleaseHeld();
        Assert.Equal(busy, (await ReadEchoAsync(await held)).Server);
    }

    [Fact]
    public async Task CookieStickySessions_keeps_a_session_on_one_downstream()
    {
        var first = await ServerAsync("/sticky/x", "session=alpha");
        var second = await ServerAsync("/sticky/x", "session=beta");

        Assert.NotEqual(first, second); // new sessions are spread round-robin
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(first, await ServerAsync("/sticky/x", "session=alpha"));
            Assert.Equal(second, await ServerAsync("/sticky/x", "session=beta"));
        }
    }

    private JsonObject Balanced(string upstream, object loadBalancer)
    {
        var route = Route(upstream, "/{rest}", _one.Port, new { LoadBalancerOptions = loadBalancer });
        route["DownstreamHostAndPorts"]!.AsArray().Add(new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = _two.Port });
        return route;
    }

    private async Task<string> ServerAsync(string path, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return (await ReadEchoAsync(await _client.SendAsync(request))).Server;
    }
}
