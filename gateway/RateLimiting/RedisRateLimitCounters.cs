using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Distributed;
using StackExchange.Redis;

namespace MicroDemo.Gateway.RateLimiting;

/// <summary>
/// Counters in Redis, shared by every replica, with the semantics of <see cref="RateLimitCounterStore"/>: a fixed window
/// opened by its first request, blocked requests counted, and Ocelot's optional ban (<c>Wait</c>) from the moment the
/// limit was first exceeded. One Lua script per request reads, decides and writes atomically, so two replicas can never
/// both let the last request through; the clock is Redis's (<c>TIME</c>), so replicas whose clocks differ still agree.
/// While Redis is away the replica counts in memory (<see cref="SharedState"/>).
/// </summary>
public sealed class RedisRateLimitCounters(SharedState redis, RateLimitCounterStore local) : IRateLimitCounters
{
    private const string KeyPrefix = "microdemo:ratelimit:";

    // KEYS[1]: the counter, a hash {started, total, exceeded} in ms since the epoch. ARGV: limit, period ms, wait ms.
    // Returns {allowed (1/0), remaining, window end ms, retry after ms}.
    private const string CountScript = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local limit, period, wait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local counter = redis.call('HMGET', KEYS[1], 'started', 'total', 'exceeded')
        local started, total, exceeded = tonumber(counter[1]), tonumber(counter[2]) or 0, tonumber(counter[3])

        local function open_window()
          started, total, exceeded = now, 0, nil
          redis.call('DEL', KEYS[1])
        end

        local live = started and (now < started + period or (exceeded and wait > 0 and now < exceeded + wait))
        if not live then open_window() end
        total = total + 1
        if total > limit then
          exceeded = exceeded or now
          local retry_at = (wait > 0) and (exceeded + wait) or (started + period)
          if retry_at <= now then
            -- The window or the ban just ended: this request opens the next window.
            open_window()
            total = 1
          end
        end

        redis.call('HSET', KEYS[1], 'started', started, 'total', total)
        if exceeded and total > limit then redis.call('HSET', KEYS[1], 'exceeded', exceeded) end
        -- A ban ends by started + period + wait at the latest; a second more keeps the counter until then.
        redis.call('PEXPIRE', KEYS[1], started + period + wait + 1000 - now)
        if total <= limit then
          return {1, limit - total, started + period, 0}
        end
        local retry_at = (wait > 0) and (exceeded + wait) or (started + period)
        return {0, 0, 0, retry_at - now}
        """;

    public ValueTask<RateLimitDecision> CountAsync(RateLimitSettings rule, string routeKey, string clientId) =>
        redis.UseAsync(
            async database =>
            {
                // ScriptEvaluateAsync(string) sends EVALSHA once the script is known and the script itself again when
                // Redis answers NOSCRIPT, as a restarted Redis does; a LoadedLuaScript would fail until reloaded.
                var result = (RedisValue[])(await database.ScriptEvaluateAsync(
                    CountScript,
                    [KeyPrefix + RateLimitCounterStore.CounterKey(rule, routeKey, clientId)],
                    [rule.Limit, (long)rule.Period.TotalMilliseconds, (long)rule.Wait.TotalMilliseconds]))!;
                return (long)result[0] == 1
                    ? RateLimitDecision.Allow(rule.Limit, (long)result[1], DateTimeOffset.FromUnixTimeMilliseconds((long)result[2]))
                    : RateLimitDecision.Block(TimeSpan.FromMilliseconds((long)result[3]));
            },
            () => local.Count(rule, routeKey, clientId));
}
