using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

public sealed class HotReloadThroughGatewayTests : GatewayWithDownstream
{
    protected override object Configuration(int downstreamPort) =>
        OcelotJson([Route("/old", "/old-target", downstreamPort)]);

    [Fact]
    public async Task Edited_file_adds_a_route_without_restart()
    {
        await ReadProblemAsync(await Client.GetAsync("/new"), 404);

        Gateway.WriteConfiguration(OcelotJson([Route("/old", "/old-target", Downstream.Port), Route("/new", "/new-target", Downstream.Port)]));

        var response = await Eventually.MatchAsync(() => Client.GetAsync("/new"), r => r.IsSuccessStatusCode, "the new route answers");
        Assert.Equal("/new-target", (await ReadEchoAsync(response)).Path);
        Assert.Equal("/old-target", (await ReadEchoAsync(await Client.GetAsync("/old"))).Path);
    }

    [Fact]
    public async Task Invalid_edit_is_logged_and_the_old_routes_keep_serving()
    {
        Gateway.WriteConfiguration(OcelotJson([Route("/new", "/new-target", Downstream.Port), Route("/broken", "no-slash", Downstream.Port)]));

        await Eventually.TrueAsync(() => Task.FromResult(Gateway.Logs.Contains("rejected")), "the gateway logs the rejected edit");
        var logged = Gateway.Logs.Entries.First(entry => entry.Message.Contains("rejected", StringComparison.Ordinal)).ToString();
        Assert.Contains("ocelot.json", logged);
        Assert.Contains("/broken", logged);
        Assert.Contains("DownstreamPathTemplate", logged);
        Assert.Equal("/old-target", (await ReadEchoAsync(await Client.GetAsync("/old"))).Path);
        await ReadProblemAsync(await Client.GetAsync("/new"), 404);
    }

    [Fact]
    public async Task An_empty_document_is_refused_and_the_old_routes_keep_serving()
    {
        Gateway.WriteConfiguration("{}");

        await Eventually.TrueAsync(() => Task.FromResult(Gateway.Logs.Contains("rejected")), "the gateway logs the rejected edit");
        var logged = Gateway.Logs.Entries.First(entry => entry.Message.Contains("rejected", StringComparison.Ordinal)).ToString();
        Assert.Contains("ocelot.json", logged);
        Assert.Contains("Routes: is empty and dynamic routing is off", logged);
        Assert.Equal("/old-target", (await ReadEchoAsync(await Client.GetAsync("/old"))).Path);
    }
}
