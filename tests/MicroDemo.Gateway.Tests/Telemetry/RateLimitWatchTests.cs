using MicroDemo.Gateway.RateLimiting;
using MicroDemo.Gateway.Telemetry;
using MicroDemo.Testing;

namespace MicroDemo.Gateway.Tests.Telemetry;

public sealed class RateLimitWatchTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void Only_counters_near_their_limit_are_shown_and_only_until_their_window_resets()
    {
        var watch = new RateLimitWatch(_clock);
        var reset = _clock.GetUtcNow().AddSeconds(10);

        watch.Observe("/a", "roomy", RateLimitDecision.Allow(limit: 10, remaining: 5, reset));
        watch.Observe("/a", "busy", RateLimitDecision.Allow(limit: 10, remaining: 1, reset));

        var shown = Assert.Single(watch.Current());
        Assert.Equal(("busy", 9L, 10L, false), (shown.Client, shown.Used, shown.Limit, shown.Rejected));

        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Empty(watch.Current());
    }

    [Fact]
    public void A_refusal_marks_the_counter_full_until_the_client_may_retry()
    {
        var watch = new RateLimitWatch(_clock);
        watch.Observe("/a", "busy", RateLimitDecision.Allow(limit: 10, remaining: 0, _clock.GetUtcNow().AddSeconds(1)));

        watch.Observe("/a", "busy", RateLimitDecision.Block(TimeSpan.FromSeconds(30)));
        _clock.Advance(TimeSpan.FromSeconds(5));

        var shown = Assert.Single(watch.Current());
        Assert.Equal((10L, 10L, true), (shown.Used, shown.Limit, shown.Rejected));
    }

    [Fact]
    public void Many_refused_clients_cannot_grow_the_table_without_bound()
    {
        var watch = new RateLimitWatch(_clock);

        for (var i = 0; i < 10_000; i++)
        {
            watch.Observe("/a", $"refused-{i}", RateLimitDecision.Block(TimeSpan.FromMinutes(1)));
            watch.Observe("/a", $"at-limit-{i}", RateLimitDecision.Allow(limit: 1, remaining: 0, _clock.GetUtcNow().AddMinutes(1)));
        }

        Assert.InRange(watch.Current().Count, 1, 200);
    }
}
