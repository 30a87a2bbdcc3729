using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Distributed;
using MicroDemo.Gateway.RateLimiting;
using MicroDemo.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MicroDemo.Gateway.Tests.RateLimiting.RateLimitRules;

namespace MicroDemo.Gateway.Tests.RateLimiting;

/// <summary>The Redis counters keep Ocelot's window semantics (as <see cref="RateLimitCounterStoreTests"/> checks them in memory), on Redis's clock.</summary>
public sealed class RedisRateLimitCountersTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private SharedState _state = null!;
    private RedisRateLimitCounters _counters = null!;

    public async Task InitializeAsync()
    {
        _state = new SharedState(Options.Create(new RedisOptions { Configuration = redis.Configuration }), TimeProvider.System, NullLogger<SharedState>.Instance);
        await _state.StartAsync(CancellationToken.None);
        _counters = new RedisRateLimitCounters(_state, new RateLimitCounterStore(TimeProvider.System));
    }

    public async Task DisposeAsync() => await _state.DisposeAsync();

    private ValueTask<RateLimitDecision> CountAsync(RateLimitSettings rule, string client, string route = "route-1") =>
        _counters.CountAsync(rule, route, client);

    [Fact]
    public async Task Allows_limit_requests_per_window_with_decreasing_remaining_and_a_reset_at_the_window_end()
    {
        var rule = Rule(limit: 3, periodSeconds: 60);
        var before = DateTimeOffset.UtcNow;

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add(await CountAsync(rule, "c1"));
        }

        Assert.Equal([(true, 2L), (true, 1L), (true, 0L), (false, 0L)], decisions.Select(d => (d.Allowed, d.Remaining)));
        Assert.InRange(decisions[0].ResetAt, before.AddSeconds(59), DateTimeOffset.UtcNow.AddSeconds(61));
    }

    [Fact]
    public async Task Without_wait_a_blocked_client_retries_at_the_window_end()
    {
        var rule = Rule(limit: 1, periodSeconds: 60);
        await CountAsync(rule, "c1");

        var blocked = await CountAsync(rule, "c1");

        Assert.False(blocked.Allowed);
        Assert.InRange(blocked.RetryAfter, TimeSpan.FromSeconds(58), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_ban_lasts_Wait_from_the_first_excess_and_the_request_after_it_opens_a_new_window()
    {
        var rule = Rule(limit: 1, periodSeconds: 3600, waitSeconds: 1);
        await CountAsync(rule, "c1");

        var banned = await CountAsync(rule, "c1");
        var stillBanned = await CountAsync(rule, "c1");
        var afterBan = await Eventually.MatchAsync(() => CountAsync(rule, "c1").AsTask(), d => d.Allowed, "the ban ends", TimeSpan.FromSeconds(5));

        Assert.InRange(banned.RetryAfter, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(1));
        Assert.True(stillBanned.RetryAfter <= banned.RetryAfter, "the ban runs from the first excess, not from the last request");
        Assert.Equal(0, afterBan.Remaining);
    }

    [Fact]
    public async Task Counters_are_per_client_and_route_and_a_changed_rule_starts_fresh()
    {
        var rule = Rule(limit: 1, periodSeconds: 60);
        await CountAsync(rule, "c1");

        Assert.True((await CountAsync(rule, "c2")).Allowed);
        Assert.True((await CountAsync(rule, "c1", route: "route-2")).Allowed);
        Assert.True((await CountAsync(rule with { Limit = 2 }, "c1")).Allowed);
        Assert.False((await CountAsync(rule, "c1")).Allowed);
    }
}
