using System.Collections.Concurrent;
using MicroDemo.Gateway.RateLimiting;

namespace MicroDemo.Gateway.Telemetry;

/// <summary>
/// The rate-limit counters that are close to their limit (or past it) right now, per route and client, for the
/// dashboard. Counters with room to spare are not kept: most requests cost one comparison here. A counter is
/// forgotten when its window resets; the table is capped so that many clients cannot grow it without bound.
/// </summary>
public sealed class RateLimitWatch(TimeProvider time)
{
    /// <summary>Counters this full (used / limit) or fuller are shown.</summary>
    public const double NearLimit = 0.8;

    private const int Capacity = 200;

    private readonly ConcurrentDictionary<(string Route, string Client), RateLimitPressure> _near = new();

    public void Observe(string route, string clientId, RateLimitDecision decision)
    {
        if (decision.Allowed && (decision.Limit <= 0 || decision.Limit - decision.Remaining < decision.Limit * NearLimit))
        {
            return;
        }

        var key = (route, clientId);
        var known = _near.GetValueOrDefault(key);
        if (known is null && _near.Count >= Capacity)
        {
            return;
        }

        _near[key] = decision.Allowed
            ? new RateLimitPressure(route, clientId, decision.Limit - decision.Remaining, decision.Limit, decision.ResetAt, Rejected: false)
            : known is null
                // A refusal alone does not say the limit (the Redis counters answer without it).
                ? new RateLimitPressure(route, clientId, 0, 0, time.GetUtcNow() + decision.RetryAfter, Rejected: true)
                : known with { Used = known.Limit, Rejected = true, ResetAt = Max(known.ResetAt, time.GetUtcNow() + decision.RetryAfter) };
    }

    /// <summary>The counters near or past their limit whose window has not reset yet, fullest first.</summary>
    public IReadOnlyList<RateLimitPressure> Current()
    {
        var now = time.GetUtcNow();
        var current = new List<RateLimitPressure>();
        foreach (var (key, pressure) in _near)
        {
            if (pressure.ResetAt <= now)
            {
                _near.TryRemove(key, out _);
            }
            else
            {
                current.Add(pressure);
            }
        }

        return [.. current.OrderByDescending(p => p.Rejected).ThenByDescending(p => p.Limit == 0 ? 1 : (double)p.Used / p.Limit)];
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>One counter near or past its limit.</summary>
public sealed record RateLimitPressure(string Route, string Client, long Used, long Limit, DateTimeOffset ResetAt, bool Rejected);
