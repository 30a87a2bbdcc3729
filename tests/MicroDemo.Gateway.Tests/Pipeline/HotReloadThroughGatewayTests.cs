using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

public sealed class HotReloadThroughGatewayTests : IAsyncLifetime
{
    private Downstream _downstream = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _downstream = await Downstream.StartAsync();
        _gateway = GatewayServer.Start(OcelotJson([Route("/old", "/old-target", _downstream.Port)]));
        _client = _gateway.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await _gateway.DisposeAsync();
        await _downstream.DisposeAsync();
    }

    [Fact]
    public async Task Edited_file_adds_a_route_without_restart()
    {
        await ReadProblemAsync(await _client.GetAsync("/new"), 404);

        _gateway.WriteConfiguration(OcelotJson([Route("/old", "/old-target", _downstream.Port), Route("/new", "/new-target", _downstream.Port)]));

        var response = await Eventually.MatchAsync(() => _client.GetAsync("/new"), r => r.IsSuccessStatusCode, "the new route answers");
        Assert.Equal("/new-target", (await ReadEchoAsync(response)).Path);
        Assert.Equal("/old-target", (await ReadEchoAsync(await _client.GetAsync("/old"))).Path);
    }

    [Fact]
    public async Task Invalid_edit_is_logged_and_the_old_routes_keep_serving()
    {
        _gateway.WriteConfiguration(OcelotJson([Route("/new", "/new-target", _downstream.Port), Route("/broken", "no-slash", _downstream.Port)]));

        await Eventually.TrueAsync(() => Task.FromResult(_gateway.Logs.Contains("rejected")), "the gateway logs the rejected edit");
        var logged = _gateway.Logs.Entries.First(entry => entry.Message.Contains("rejected", StringComparison.Ordinal)).ToString();
        Assert.Contains("ocelot.json", logged);
        Assert.Contains("/broken", logged);
        Assert.Contains("DownstreamPathTemplate", logged);
        Assert.Equal("/old-target", (await ReadEchoAsync(await _client.GetAsync("/old"))).Path);
        await ReadProblemAsync(await _client.GetAsync("/new"), 404);
    }
}
