using MicroDemo.Gateway.LoopDetection;
using MicroDemo.Gateway.Tests.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.LoopDetection;

/// <summary>What the downstream and the client see of the gateway's Via entry.</summary>
public sealed class ViaThroughGatewayTests : GatewayWithDownstream
{
    protected override object Configuration(int downstreamPort) => OcelotJson([Route("/{everything}", "/{everything}", downstreamPort)]);

    private string Pseudonym => Gateway.Services.GetRequiredService<GatewayInstance>().Pseudonym;

    [Fact]
    public async Task Every_forwarded_request_carries_the_gateways_entry_after_the_clients_chain()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo");
        request.Headers.TryAddWithoutValidation("Via", "1.0 corporate-proxy");

        var echo = await ReadEchoAsync(await Client.SendAsync(request));

        Assert.Equal($"1.0 corporate-proxy, 1.1 {Pseudonym}", echo.Header("Via"));
        Assert.StartsWith($"gateway-127.0.0.1-{Gateway.Port}", Pseudonym, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_already_passed_the_gateway_is_refused_with_508()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo");
        request.Headers.TryAddWithoutValidation("Via", $"1.1 {Pseudonym}, 1.1 other-proxy");

        var problem = await ReadProblemAsync(await Client.SendAsync(request), 508);

        Assert.Contains(Pseudonym, problem.GetProperty("detail").GetString());
    }
}
