using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.RateLimiting;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.RateLimiting.RateLimitRules;

namespace MicroDemo.Gateway.Tests.RateLimiting;

public sealed class RateLimitCounterStoreTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly RateLimitCounterStore _store;

    public RateLimitCounterStoreTests() => _store = new RateLimitCounterStore(_clock);

    private RateLimitDecision Count(RateLimitSettings rule, string client, string route = "route-1") => _store.Count(rule, route, client);

    [Fact]
    public void Allows_limit_requests_per_window_with_decreasing_remaining_then_blocks()
    {
        var rule = Rule(limit: 3);

        var remaining = Enumerable.Range(0, 3).Select(_ => Count(rule, "c1")).Select(d => (d.Allowed, d.Remaining)).ToArray();
        var fourth = Count(rule, "c1");

        Assert.Equal([(true, 2L), (true, 1L), (true, 0L)], remaining);
        Assert.False(fourth.Allowed);
    }

    [Fact]
    public void Reset_is_the_window_start_plus_period()
    {
        var start = _clock.GetUtcNow();

        var decision = Count(Rule(periodSeconds: 10), "c1");

        Assert.Equal(start + TimeSpan.FromSeconds(10), decision.ResetAt);
    }

    [Fact]
    public void Without_wait_a_blocked_client_retries_when_the_window_ends()
    {
        var rule = Rule(limit: 1, periodSeconds: 10);
        Count(rule, "c1");
        _clock.Advance(TimeSpan.FromSeconds(2.5));

        var blocked = Count(rule, "c1");
        _clock.Advance(TimeSpan.FromSeconds(7.5));
        var next = Count(rule, "c1");

        Assert.False(blocked.Allowed);
        Assert.Equal(8, blocked.RetryAfterSeconds); // 7.5 s left, rounded up to whole seconds
        Assert.True(next.Allowed);
    }

    [Fact]
    public void With_wait_the_ban_outlives_the_window_and_is_measured_from_the_first_excess()
    {
        var rule = Rule(limit: 1, periodSeconds: 1, waitSeconds: 5);
        Count(rule, "c1");
        var exceeded = Count(rule, "c1");
        _clock.Advance(TimeSpan.FromSeconds(3)); // window over, ban not

        var stillBanned = Count(rule, "c1");
        _clock.Advance(TimeSpan.FromSeconds(2));
        var free = Count(rule, "c1");

        Assert.False(exceeded.Allowed);
        Assert.Equal(5, exceeded.RetryAfterSeconds);
        Assert.False(stillBanned.Allowed);
        Assert.Equal(2, stillBanned.RetryAfterSeconds);
        Assert.True(free.Allowed);
    }

    [Fact]
    public void Clients_and_routes_are_counted_separately()
    {
        var rule = Rule(limit: 1);


        Assert.True(Count(rule, "c1").Allowed);
        Assert.True(Count(rule, "c2").Allowed);
        Assert.True(Count(rule, "c1", route: "route-2").Allowed);
        Assert.False(Count(rule, "c1").Allowed);
    }

    [Fact]
    public void Blocked_requests_count_toward_the_window()
    {
        var rule = Rule(limit: 2, periodSeconds: 10);
        for (var i = 0; i < 5; i++)
        {
            Count(rule, "c1");
        }

        var decision = Count(rule, "c1");

        Assert.False(decision.Allowed);
    }

    [Fact]
    public async Task Parallel_clients_never_get_more_than_limit_successes_per_window()
    {
        var rule = Rule(limit: 25, periodSeconds: 60);
        var allowed = 0;

        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 16 }, (_, _) =>
        {
            if (Count(rule, "shared-client").Allowed)
            {
                Interlocked.Increment(ref allowed);
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(25, allowed);
    }

    [Fact]
    public void Counters_of_quiet_clients_are_dropped()
    {
        var rule = Rule(limit: 5, periodSeconds: 1);
        Count(rule, "c1");
        Count(rule, "c2");
        _clock.Advance(TimeSpan.FromSeconds(10));

        Count(rule, "c3");

        Assert.Equal(1, _store.Count());
    }
}
