using System.Diagnostics;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

public sealed class ErrorsThroughGatewayTests : GatewayWithDownstream
{
    private const int DownstreamDelayMs = 5000;

    private readonly int _closedPort = FreePorts.Next();

    protected override object Configuration(int downstreamPort) =>
        OcelotJson(
        [
            Route("/refused", "/anything", _closedPort),
            Route("/slow", $"/delay/{DownstreamDelayMs}", downstreamPort, new { Timeout = 1 }),
            Route("/held", "/hold", downstreamPort),
        ]);

    [Fact]
    public async Task Refused_connection_is_502_problem_naming_the_route()
    {
        var problem = await ReadProblemAsync(await Client.GetAsync("/refused"), 502);

        Assert.Equal("/refused", problem.GetProperty("route").GetString());
    }

    [Fact]
    public async Task Downstream_slower_than_the_route_Timeout_is_503_long_before_it_answers()
    {
        var watch = Stopwatch.StartNew();
        var problem = await ReadProblemAsync(await Client.GetAsync("/slow"), 503);
        watch.Stop();

        Assert.Equal("/slow", problem.GetProperty("route").GetString());
        // Timeout 1 s against a 5 s downstream: a ratio, so a loaded machine does not fail the test.
        Assert.True(watch.ElapsedMilliseconds < DownstreamDelayMs * 0.7, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Client_abort_cancels_theDownstream_request()
    {
        using var abort = new CancellationTokenSource();
        var request = Client.GetAsync("/held", abort.Token);
        await Eventually.TrueAsync(() => Task.FromResult(Downstream.InFlight == 1), "the downstream holds the request");

        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await Eventually.TrueAsync(() => Task.FromResult(Downstream.Cancelled == 1), "the downstream saw its request cancelled");
    }
}
