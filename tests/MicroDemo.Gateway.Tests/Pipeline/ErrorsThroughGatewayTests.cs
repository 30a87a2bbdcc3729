using System.Diagnostics;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

public sealed class ErrorsThroughGatewayTests : IAsyncLifetime
{
    private const int DownstreamDelayMs = 5000;

    private readonly int _closedPort = FreePorts.Next();
    private Downstream _downstream = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _downstream = await Downstream.StartAsync();
        _gateway = GatewayServer.Start(OcelotJson(
        [
            Route("/refused", "/anything", _closedPort),
            Route("/slow", $"/delay/{DownstreamDelayMs}", _downstream.Port, new { Timeout = 1 }),
            Route("/held", "/hold", _downstream.Port),
        ]));
        _client = _gateway.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await _gateway.DisposeAsync();
        await _downstream.DisposeAsync();
    }

    [Fact]
    public async Task Refused_connection_is_502_problem_naming_the_route()
    {
        var problem = await ReadProblemAsync(await _client.GetAsync("/refused"), 502);

        Assert.Equal("/refused", problem.GetProperty("route").GetString());
    }

    [Fact]
    public async Task Downstream_slower_than_the_route_Timeout_is_503_long_before_it_answers()
    {
        var watch = Stopwatch.StartNew();
        var problem = await ReadProblemAsync(await _client.GetAsync("/slow"), 503);
        watch.Stop();

        Assert.Equal("/slow", problem.GetProperty("route").GetString());
        // Timeout 1 s against a 5 s downstream: a ratio, so a loaded machine does not fail the test.
        Assert.True(watch.ElapsedMilliseconds < DownstreamDelayMs * 0.7, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Client_abort_cancels_the_downstream_request()
    {
        using var abort = new CancellationTokenSource();
        var request = _client.GetAsync("/held", abort.Token);
        await Eventually.TrueAsync(() => Task.FromResult(_downstream.InFlight == 1), "the downstream holds the request");

        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await Eventually.TrueAsync(() => Task.FromResult(_downstream.Cancelled == 1), "the downstream saw its request cancelled");
    }
}
