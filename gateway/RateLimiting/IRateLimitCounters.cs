using MicroDemo.Gateway.Configuration;

namespace MicroDemo.Gateway.RateLimiting;

/// <summary>Where a route's fixed-window counters live: this process (<see cref="RateLimitCounterStore"/>) or Redis, shared by every replica.</summary>
public interface IRateLimitCounters
{
    /// <summary>Counts one request of <paramref name="clientId"/> on a route and says whether it may pass.</summary>
    ValueTask<RateLimitDecision> CountAsync(RateLimitSettings rule, string routeKey, string clientId);
}
