using System.Net;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Resilience;
using MicroDemo.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace MicroDemo.Gateway.Tests.Resilience;

public sealed class RouteResilienceTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly RouteResilienceRegistry _registry;

    public RouteResilienceTests() => _registry = new RouteResilienceRegistry(_clock);

    private RouteResilience Breaker(int failures = 3, double breakSeconds = 5) =>
        _registry.GetOrCreate(Guid.NewGuid().ToString(), "/api/orders/{everything}", Qos(failures, TimeSpan.FromSeconds(breakSeconds)));

    [Fact]
    public async Task Opens_after_n_consecutive_failures_and_then_fails_fast_with_the_time_left()
    {
        var route = Breaker(failures: 3, breakSeconds: 5);
        for (var i = 0; i < 3; i++)
        {
            await CallAsync(route, HttpStatusCode.InternalServerError);
        }

        _clock.Advance(TimeSpan.FromSeconds(2));
        var calls = 0;
        var outcome = await CallAsync(route, HttpStatusCode.OK, () => calls++);

        var broken = Assert.IsType<BrokenCircuitException>(outcome.Exception);
        Assert.Equal(0, calls);
        Assert.Equal(TimeSpan.FromSeconds(3), broken.RetryAfter);
        Assert.Equal(CircuitStatus.Open, route.Circuit!.Status);
    }

    [Fact]
    public async Task A_success_resets_the_count()
    {
        var route = Breaker(failures: 2);

        await CallAsync(route, HttpStatusCode.BadGateway);
        await CallAsync(route, HttpStatusCode.OK);
        await CallAsync(route, HttpStatusCode.BadGateway);

        Assert.Equal(CircuitStatus.Closed, route.Circuit!.Status);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Conflict)]
    public async Task Client_errors_are_not_failures(HttpStatusCode status)
    {
        var route = Breaker(failures: 1);

        await CallAsync(route, status);

        Assert.Equal(CircuitStatus.Closed, route.Circuit!.Status);
    }

    [Fact]
    public async Task Connection_errors_are_failures()
    {
        var route = Breaker(failures: 1);

        await route.Pipeline.ExecuteOutcomeAsync<HttpResponseMessage, int>(
            (_, _) => ValueTask.FromResult(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused"))), ResilienceContextPool.Shared.Get(), 0);

        Assert.Equal(CircuitStatus.Open, route.Circuit!.Status);
    }

    [Fact]
    public async Task A_caller_that_hung_up_is_neither_success_nor_failure()
    {
        var route = Breaker(failures: 1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var context = ResilienceContextPool.Shared.Get(cancelled.Token);

        await route.Pipeline.ExecuteOutcomeAsync<HttpResponseMessage, int>(
            (_, _) => ValueTask.FromResult(Outcome.FromException<HttpResponseMessage>(new OperationCanceledException())), context, 0);

        Assert.Equal(CircuitStatus.Closed, route.Circuit!.Status);
    }

    [Fact]
    public async Task Half_open_lets_exactly_one_probe_through_and_its_success_closes()
    {
        var route = Breaker(failures: 1, breakSeconds: 5);
        await CallAsync(route, HttpStatusCode.ServiceUnavailable);
        _clock.Advance(TimeSpan.FromSeconds(5));

        var probeStarted = new TaskCompletionSource();
        var releaseProbe = new TaskCompletionSource();
        var probe = route.Pipeline.ExecuteOutcomeAsync<HttpResponseMessage, int>(async (_, _) =>
        {
            probeStarted.SetResult();
            await releaseProbe.Task;
            return Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }, ResilienceContextPool.Shared.Get(), 0).AsTask();
        await probeStarted.Task;

        var concurrent = await CallAsync(route, HttpStatusCode.OK);
        releaseProbe.SetResult();
        var probeOutcome = await probe;

        Assert.IsType<BrokenCircuitException>(concurrent.Exception);
        Assert.Equal(HttpStatusCode.OK, probeOutcome.Result!.StatusCode);
        Assert.Equal(CircuitStatus.Closed, route.Circuit!.Status);
    }

    [Fact]
    public async Task A_failed_probe_reopens_for_a_full_break()
    {
        var route = Breaker(failures: 1, breakSeconds: 5);
        await CallAsync(route, HttpStatusCode.InternalServerError);
        _clock.Advance(TimeSpan.FromSeconds(6));

        await CallAsync(route, HttpStatusCode.InternalServerError);

        Assert.Equal(CircuitStatus.Open, route.Circuit!.Status);
        Assert.Equal(TimeSpan.FromSeconds(5), route.Circuit.RetryAfter);
    }

    [Fact]
    public async Task Timeout_rejects_a_slow_call_and_counts_as_a_failure()
    {
        var route = _registry.GetOrCreate("slow", "/slow", Qos(1, TimeSpan.FromSeconds(5)) with { Timeout = TimeSpan.FromMilliseconds(100) });

        var outcome = await route.Pipeline.ExecuteOutcomeAsync<HttpResponseMessage, int>(async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
            return Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }, ResilienceContextPool.Shared.Get(), 0).AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.IsType<TimeoutRejectedException>(outcome.Exception);
        Assert.Equal(CircuitStatus.Open, route.Circuit!.Status);
    }

    [Fact]
    public async Task Ratio_mode_opens_when_the_failure_ratio_is_reached()
    {
        var route = _registry.GetOrCreate("ratio", "/ratio",
            Qos(4, TimeSpan.FromSeconds(5)) with { FailureRatio = 0.5, SamplingDuration = TimeSpan.FromSeconds(30) });

        await CallAsync(route, HttpStatusCode.OK);
        await CallAsync(route, HttpStatusCode.InternalServerError);
        await CallAsync(route, HttpStatusCode.OK);
        Assert.Equal(CircuitStatus.Closed, route.Circuit!.Status);
        await CallAsync(route, HttpStatusCode.InternalServerError);

        Assert.Equal(CircuitStatus.Open, route.Circuit.Status);
        Assert.IsType<BrokenCircuitException>((await CallAsync(route, HttpStatusCode.OK)).Exception);
    }

    [Fact]
    public async Task Registry_keeps_state_for_an_unchanged_route_and_lists_tripped_circuits()
    {
        var options = Qos(1, TimeSpan.FromSeconds(5));
        var before = _registry.GetOrCreate("orders-v1", "/api/orders", options);
        var other = _registry.GetOrCreate("users-v1", "/api/users", options);
        await CallAsync(before, HttpStatusCode.InternalServerError);

        _registry.RetainOnly(new HashSet<string> { "orders-v1" });
        var after = _registry.GetOrCreate("orders-v1", "/api/orders", options);
        var recreated = _registry.GetOrCreate("users-v1", "/api/users", options);

        Assert.Same(before, after);
        Assert.NotSame(other, recreated);
        Assert.Equal(["/api/orders"], _registry.TrippedCircuits().Select(c => c.RouteName));
    }

    [Fact]
    public async Task Failures_put_down_to_an_ejected_instance_count_toward_neither_breaker()
    {
        var consecutive = Breaker(failures: 1);
        var ratio = _registry.GetOrCreate("ratio-instance", "/ratio",
            Qos(2, TimeSpan.FromSeconds(5)) with { FailureRatio = 0.5, SamplingDuration = TimeSpan.FromSeconds(30) });

        for (var i = 0; i < 4; i++)
        {
            await CallAsync(consecutive, HttpStatusCode.BadGateway, instanceFailure: true);
            await CallAsync(ratio, HttpStatusCode.BadGateway, instanceFailure: true);
        }

        Assert.Equal(CircuitStatus.Closed, consecutive.Circuit!.Status);
        Assert.Equal(CircuitStatus.Closed, ratio.Circuit!.Status);
        await CallAsync(consecutive, HttpStatusCode.BadGateway);
        Assert.Equal(CircuitStatus.Open, consecutive.Circuit.Status);
    }

    private static QosSettings Qos(int failures, TimeSpan breakDuration) =>
        QosSettings.Disabled with { MinimumThroughput = failures, BreakDuration = breakDuration };

    private static async Task<Outcome<HttpResponseMessage>> CallAsync(RouteResilience route, HttpStatusCode status, Action? onCall = null, bool instanceFailure = false) =>
        await route.Pipeline.ExecuteOutcomeAsync<HttpResponseMessage, int>((context, _) =>
        {
            onCall?.Invoke();
            context.Properties.Set(DownstreamOutcomes.InstanceFailureKey, instanceFailure);
            return ValueTask.FromResult(Outcome.FromResult(new HttpResponseMessage(status)));
        }, ResilienceContextPool.Shared.Get(), 0);
}
