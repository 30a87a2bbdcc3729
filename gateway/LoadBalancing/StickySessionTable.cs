using System.Collections.Concurrent;
using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>
/// Session id (the cookie's value) → the host it sticks to. Shared by every route that uses the same
/// cookie name, as in Ocelot. Expired sessions are swept during lookups, at most once per expiry period,
/// instead of a timer per session.
/// </summary>
internal sealed class StickySessionTable(string cookieName, TimeSpan expiry, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public string CookieName { get; } = cookieName;

    public TimeSpan Expiry { get; } = expiry;

    public int Count => _sessions.Count;

    /// <summary>
    /// The instance <paramref name="sessionId"/> sticks to, refreshing its expiry. A new or expired session,
    /// or one whose host left <paramref name="instances"/>, is (re)assigned to <paramref name="pickNew"/>'s choice.
    /// </summary>
    public ServiceInstance Assign(string sessionId, IReadOnlyList<ServiceInstance> instances, Func<IReadOnlyList<ServiceInstance>, ServiceInstance> pickNew)
    {
        var now = time.GetUtcNow();
        RemoveExpiredIfDue(now);

        // Compare-and-swap so that two first requests of one session racing each other still agree on a host.
        while (true)
        {
            if (_sessions.TryGetValue(sessionId, out var session))
            {
                var instance = (session.ExpiresAt > now ? session.Endpoint.FindIn(instances) : null) ?? pickNew(instances);
                if (_sessions.TryUpdate(sessionId, new Session(InstanceEndpoint.Of(instance), now + Expiry), session))
                {
                    return instance;
                }
            }
            else
            {
                var instance = pickNew(instances);
                if (_sessions.TryAdd(sessionId, new Session(InstanceEndpoint.Of(instance), now + Expiry)))
                {
                    return instance;
                }
            }
        }
    }

    private void RemoveExpiredIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + Expiry).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var entry in _sessions)
        {
            if (entry.Value.ExpiresAt <= now)
            {
                // Removes only the expired version: a session refreshed meanwhile stays.
                _sessions.TryRemove(entry);
            }
        }
    }

    private sealed record Session(InstanceEndpoint Endpoint, DateTimeOffset ExpiresAt);
}
