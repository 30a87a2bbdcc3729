using System.Net;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.Tests.Pipeline;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Hosting;

public sealed class GatewayLimitsTests
{
    [Theory]
    [InlineData(0, 512)] // ocelot.json's "unlimited" stops at the gateway's ceiling
    [InlineData(-1, 512)]
    [InlineData(100, 100)]
    [InlineData(10_000, 512)]
    public void Ocelot_json_can_only_lower_the_connections_per_server(int configured, int expected) =>
        Assert.Equal(expected, new GatewayLimitsOptions { MaxConnectionsPerServer = 512 }.CapConnectionsPerServer(configured));

    [Fact]
    public void No_ceiling_keeps_ocelots_unlimited() =>
        Assert.Equal(int.MaxValue, new GatewayLimitsOptions { MaxConnectionsPerServer = 0 }.CapConnectionsPerServer(0));

    [Fact]
    public async Task A_request_beyond_MaxConcurrentRequests_gets_503_with_Retry_After_while_health_still_answers()
    {
        await using var downstream = await Downstream.StartAsync();
        await using var gateway = GatewayServer.Start(
            OcelotJson([Route("/{everything}", "/{everything}", downstream.Port)]),
            new Dictionary<string, string?> { [$"{GatewayLimitsOptions.SectionName}:{nameof(GatewayLimitsOptions.MaxConcurrentRequests)}"] = "2" });
        using var client = gateway.CreateClient();

        var held = new[] { client.GetAsync("/hold"), client.GetAsync("/hold") };
        await Eventually.TrueAsync(() => downstream.InFlight == 2, "both requests are held downstream");

        using var refused = await client.GetAsync("/echo");
        await ReadProblemAsync(refused, 503);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        downstream.ReleaseHeld();
        Assert.All(await Task.WhenAll(held), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        // The slots come back when the responses complete.
        await Eventually.TrueAsync(async () => (await client.GetAsync("/echo")).IsSuccessStatusCode, "a new request is admitted");
    }
}
