using System.Collections.Concurrent;
using MicroDemo.Gateway.Configuration;

namespace MicroDemo.Gateway.RateLimiting;

/// <summary>
/// Fixed-window counters per client × route, with Ocelot's optional ban (<c>Wait</c>).
/// Written here rather than on System.Threading.RateLimiting because Ocelot's semantics need what
/// <c>FixedWindowRateLimiter</c> does not expose: the window's start (for <c>X-RateLimit-Reset</c>),
/// blocked requests counting toward the window, and a ban that outlives the window.
/// </summary>
public sealed class RateLimitCounterStore(TimeProvider time) : IRateLimitCounters
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public ValueTask<RateLimitDecision> CountAsync(RateLimitSettings rule, string routeKey, string clientId) => new(Count(rule, routeKey, clientId));

    /// <summary>Counts one request and says whether it may pass. Thread-safe: concurrent callers never exceed the limit.</summary>
    public RateLimitDecision Count(RateLimitSettings rule, string routeKey, string clientId)
    {
        var now = time.GetUtcNow();
        SweepExpired(now);

        var counter = _counters.GetOrAdd(CounterKey(rule, routeKey, clientId), static _ => new Counter());
        lock (counter)
        {
            if (!counter.IsLive(now, rule))
            {
                counter.StartNewWindow(now, rule);
            }

            counter.Total++;
            if (counter.Total <= rule.Limit)
            {
                return RateLimitDecision.Allow(rule.Limit, rule.Limit - counter.Total, counter.StartedAt + rule.Period);
            }

            counter.ExceededAt ??= now;
            var retryAt = rule.Wait > TimeSpan.Zero ? counter.ExceededAt.Value + rule.Wait : counter.StartedAt + rule.Period;
            if (retryAt <= now)
            {
                // The window or the ban just ended: this request opens the next window.
                counter.StartNewWindow(now, rule);
                counter.Total = 1;
                return RateLimitDecision.Allow(rule.Limit, rule.Limit - 1, now + rule.Period);
            }

            counter.ExpiresAt = retryAt > counter.ExpiresAt ? retryAt : counter.ExpiresAt;
            return RateLimitDecision.Block(retryAt - now);
        }
    }

    // Unique per rule, so a changed rule starts fresh; requests matched by one route share one counter per client.
    internal static string CounterKey(RateLimitSettings rule, string routeKey, string clientId) =>
        $"{rule.KeyPrefix}_{clientId}:{routeKey}_{rule.Limit}/{rule.PeriodText}/w{rule.WaitText}";

    /// <summary>Number of live counters (for tests and diagnostics).</summary>
    public int Count() => _counters.Count;

    // Counters of clients that went quiet are dropped at most once a second, off the per-request fast path.
    private void SweepExpired(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + TimeSpan.TicksPerSecond, next) != next)
        {
            return;
        }

        foreach (var (key, counter) in _counters)
        {
            bool expired;
            lock (counter)
            {
                expired = counter.ExpiresAt < now;
            }

            if (expired)
            {
                _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
            }
        }
    }

    private sealed class Counter
    {
        public DateTimeOffset StartedAt;
        public DateTimeOffset? ExceededAt;
        public DateTimeOffset ExpiresAt = DateTimeOffset.MinValue;
        public long Total;

        public bool IsLive(DateTimeOffset now, RateLimitSettings rule) =>
            Total > 0 && (now < StartedAt + rule.Period || (ExceededAt is { } exceeded && rule.Wait > TimeSpan.Zero && now < exceeded + rule.Wait));

        public void StartNewWindow(DateTimeOffset now, RateLimitSettings rule)
        {
            StartedAt = now;
            ExceededAt = null;
            Total = 0;
            ExpiresAt = now + rule.Period + rule.Wait + TimeSpan.FromSeconds(1);
        }
    }
}

/// <summary>The outcome for one request.</summary>
public readonly record struct RateLimitDecision(bool Allowed, long Limit, long Remaining, DateTimeOffset ResetAt, TimeSpan RetryAfter)
{
    public static RateLimitDecision Allow(long limit, long remaining, DateTimeOffset resetAt) => new(true, limit, remaining, resetAt, TimeSpan.Zero);

    public static RateLimitDecision Block(TimeSpan retryAfter) => new(false, 0, 0, default, retryAfter);

    /// <summary>RFC 9110 delay-seconds: a whole number, rounded up so a client never retries too early.</summary>
    public long RetryAfterSeconds => Math.Max(1, (long)Math.Ceiling(RetryAfter.TotalSeconds));
}
