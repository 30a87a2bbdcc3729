using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Policies.OcelotJson;

namespace MicroDemo.Gateway.Tests.Policies;

/// <summary>QoS end to end: timeout, circuit breaker (consecutive and ratio), half-open probes, reloads, health.</summary>
public sealed class QosTests : IAsyncLifetime
{
    private static readonly string Q = RouteName("/q");
    private Downstream _downstream = null!;

    public async Task InitializeAsync() => _downstream = await Downstream.StartAsync();

    public async Task DisposeAsync() => await _downstream.DisposeAsync();

    [Fact]
    public async Task Downstream_slower_than_the_QoS_timeout_gets_a_quick_503_problem()
    {
        var delay = TimeSpan.FromSeconds(6);
        _downstream.Delay = delay;
        await using var gateway = Start(new { QoSOptions = new { Timeout = 300 } });

        var clock = Stopwatch.StartNew();
        using var response = await gateway.Client.GetAsync("/q/slow");
        var elapsed = clock.Elapsed;

        var problem = await Problem.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(Q, problem.Route);
        Assert.Equal("Downstream timeout", problem.Title);
        Assert.Contains("300 ms", problem.Detail);
        // The gateway gave up long before the downstream would have answered (ratio, so CPU load cannot flake it).
        Assert.True(elapsed < delay * 0.5, $"answered after {elapsed}, the downstream takes {delay}");
        Assert.Equal(1, _downstream.Requests);
    }

    [Fact]
    public async Task Circuit_opens_after_N_consecutive_5xx_then_answers_503_with_Retry_After_without_calling_the_downstream()
    {
        _downstream.StatusCode = 500;
        await using var gateway = Start(new { QoSOptions = new { MinimumThroughput = 3, BreakDuration = 10_000 } });

        for (var i = 0; i < 3; i++)
        {
            using var failure = await gateway.Client.GetAsync("/q/items");
            Assert.Equal(HttpStatusCode.InternalServerError, failure.StatusCode); // the downstream's answer, passed on
        }

        for (var i = 0; i < 3; i++)
        {
            using var open = await gateway.Client.GetAsync("/q/items");
            await AssertCircuitOpenAsync(open, maxRetryAfter: 10);
        }

        Assert.Equal(3, _downstream.Requests);
    }

    [Fact]
    public async Task Only_consecutive_failures_count_a_success_starts_the_count_again()
    {
        await using var gateway = Start(new { QoSOptions = new { MinimumThroughput = 3, BreakDuration = 10_000 } });

        foreach (var status in new[] { 500, 502, 200, 503, 504 })
        {
            _downstream.StatusCode = status;
            using var response = await gateway.Client.GetAsync("/q/items");
            Assert.Equal((HttpStatusCode)status, response.StatusCode);
        }

        _downstream.StatusCode = 500;
        using (var third = await gateway.Client.GetAsync("/q/items"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, third.StatusCode);
        }

        using var open = await gateway.Client.GetAsync("/q/items");
        await AssertCircuitOpenAsync(open, maxRetryAfter: 10);
        Assert.Equal(6, _downstream.Requests);
    }

    [Fact]
    public async Task Connection_refused_counts_as_a_failure()
    {
        var nobodyListens = FreePorts.Next();
        await using var gateway = GatewayHost.Start(Document(Route("/q", nobodyListens, new { QoSOptions = new { MinimumThroughput = 2, BreakDuration = 10_000 } })));

        for (var i = 0; i < 2; i++)
        {
            using var unreachable = await gateway.Client.GetAsync("/q/items");
            Assert.Equal(Q, (await Problem.ReadAsync(unreachable, HttpStatusCode.BadGateway)).Route);
        }

        using var open = await gateway.Client.GetAsync("/q/items");
        await AssertCircuitOpenAsync(open, maxRetryAfter: 10);
    }

    [Fact]
    public async Task Half_open_circuit_lets_exactly_one_probe_through_and_its_success_closes_the_circuit()
    {
        var breakDuration = TimeSpan.FromMilliseconds(2000);
        await using var gateway = Start(new { QoSOptions = new { MinimumThroughput = 2, BreakDuration = (int)breakDuration.TotalMilliseconds } });
        var openedBy = await OpenCircuitAsync(gateway, failures: 2);

        _downstream.StatusCode = 200;
        var release = _downstream.Hold();
        await WaitUntilAsync(openedBy + breakDuration + TimeSpan.FromMilliseconds(100));

        var requests = Enumerable.Range(0, 5).Select(_ => gateway.Client.GetAsync("/q/items")).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(_downstream.Requests == 3), "the probe reached the downstream");
        await Eventually.TrueAsync(() => Task.FromResult(requests.Count(r => r.IsCompleted) == 4), "the other calls were refused");
        var probe = requests.Single(r => !r.IsCompleted);
        foreach (var refused in requests.Where(r => r != probe))
        {
            using var response = await refused;
            await AssertCircuitOpenAsync(response, maxRetryAfter: 1);
        }

        release();
        using (var probeResponse = await probe)
        {
            Assert.Equal(HttpStatusCode.OK, probeResponse.StatusCode);
        }

        Assert.Equal(3, _downstream.Requests);
        for (var i = 0; i < 3; i++)
        {
            using var flowing = await gateway.Client.GetAsync("/q/items");
            Assert.Equal(HttpStatusCode.OK, flowing.StatusCode);
        }

        Assert.Equal(6, _downstream.Requests);
    }

    [Fact]
    public async Task Failed_probe_reopens_the_circuit()
    {
        var breakDuration = TimeSpan.FromMilliseconds(2000);
        await using var gateway = Start(new { QoSOptions = new { MinimumThroughput = 2, BreakDuration = (int)breakDuration.TotalMilliseconds } });
        var openedBy = await OpenCircuitAsync(gateway, failures: 2);
        await WaitUntilAsync(openedBy + breakDuration + TimeSpan.FromMilliseconds(100));

        using (var probe = await gateway.Client.GetAsync("/q/items"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, probe.StatusCode);
        }

        using var reopened = await gateway.Client.GetAsync("/q/items");
        await AssertCircuitOpenAsync(reopened, maxRetryAfter: 2);
        Assert.Equal(3, _downstream.Requests);
    }

    [Fact]
    public async Task Ratio_breaker_opens_when_the_failure_ratio_is_reached_within_the_sampling_duration()
    {
        await using var gateway = Start(new
        {
            QoSOptions = new { FailureRatio = 0.5, SamplingDuration = 10_000, MinimumThroughput = 4, BreakDuration = 10_000 },
        });

        foreach (var status in new[] { 200, 200, 500, 500 })
        {
            _downstream.StatusCode = status;
            using var response = await gateway.Client.GetAsync("/q/items");
            Assert.Equal((HttpStatusCode)status, response.StatusCode);
        }

        _downstream.StatusCode = 200;
        using var open = await gateway.Client.GetAsync("/q/items");
        await AssertCircuitOpenAsync(open, maxRetryAfter: 10);
        Assert.Equal(4, _downstream.Requests);
    }

    [Fact]
    public async Task One_routes_open_circuit_does_not_affect_another_route_and_health_lists_only_it()
    {
        await using var healthy = await Downstream.StartAsync();
        var qos = new { QoSOptions = new { MinimumThroughput = 2, BreakDuration = 10_000 } };
        await using var gateway = GatewayHost.Start(Document(Route("/q", _downstream.Port, qos), Route("/h", healthy.Port, qos)));

        var before = await CircuitsHealthAsync(gateway);
        Assert.Equal("Healthy", before.GetProperty("status").GetString());

        await OpenCircuitAsync(gateway, failures: 2);
        using var other = await gateway.Client.GetAsync("/h/items");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        var after = await CircuitsHealthAsync(gateway);
        Assert.Equal("Degraded", after.GetProperty("status").GetString());
        var listed = after.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal([Q], listed.Keys);
        Assert.StartsWith("open", listed[Q]);
    }

    [Fact]
    public async Task Reload_keeps_an_open_circuit_when_another_route_changes_and_resets_it_when_its_route_changes()
    {
        await using var other = await Downstream.StartAsync();
        JsonObject QosRoute(int breakDuration) => Route("/q", _downstream.Port, new { QoSOptions = new { MinimumThroughput = 2, BreakDuration = breakDuration } });
        await using var gateway = GatewayHost.Start(Document(QosRoute(30_000), Route("/u", other.Port)));
        await OpenCircuitAsync(gateway, failures: 2);

        await gateway.EditConfigurationAsync(Document(QosRoute(30_000), Route("/u", other.Port, new { RequestIdKey = "X-Request-Id" })));
        using (var stillOpen = await gateway.Client.GetAsync("/q/items"))
        {
            await AssertCircuitOpenAsync(stillOpen, maxRetryAfter: 30);
        }

        Assert.Equal(2, _downstream.Requests);

        await gateway.EditConfigurationAsync(Document(QosRoute(30_001), Route("/u", other.Port, new { RequestIdKey = "X-Request-Id" })));
        using (var fresh = await gateway.Client.GetAsync("/q/items"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, fresh.StatusCode); // reached the downstream again
        }

        Assert.Equal(3, _downstream.Requests);
        Assert.Equal("Healthy", (await CircuitsHealthAsync(gateway)).GetProperty("status").GetString());
    }

    private GatewayHost Start(object routeOptions) => GatewayHost.Start(Document(Route("/q", _downstream.Port, routeOptions)));

    /// <summary>Fails the downstream until the circuit of <c>/q</c> opens; returns a time by which it had opened.</summary>
    private async Task<TimeSpan> OpenCircuitAsync(GatewayHost gateway, int failures)
    {
        _downstream.StatusCode = 500;
        for (var i = 0; i < failures; i++)
        {
            using var failure = await gateway.Client.GetAsync("/q/items");
            Assert.Equal(HttpStatusCode.InternalServerError, failure.StatusCode);
        }

        var openedBy = Clock.Elapsed;
        using var open = await gateway.Client.GetAsync("/q/items");
        await AssertCircuitOpenAsync(open, maxRetryAfter: 30);
        return openedBy;
    }

    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    // Waiting for a break duration to pass is waiting for time itself; there is no other condition to poll.
    private static async Task WaitUntilAsync(TimeSpan clockTime)
    {
        var left = clockTime - Clock.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    private static async Task AssertCircuitOpenAsync(HttpResponseMessage response, int maxRetryAfter)
    {
        var problem = await Problem.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(Q, problem.Route);
        Assert.Equal("Circuit open", problem.Title);
        var retryAfter = response.Header("Retry-After");
        Assert.NotNull(retryAfter);
        Assert.Matches("^[0-9]+$", retryAfter);
        Assert.InRange(int.Parse(retryAfter, CultureInfo.InvariantCulture), 1, maxRetryAfter);
    }

    private static async Task<JsonElement> CircuitsHealthAsync(GatewayHost gateway)
    {
        using var response = await gateway.Client.GetAsync("/health/ready");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        return report.GetProperty("checks").GetProperty("circuits");
    }
}
