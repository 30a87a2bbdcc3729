using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Caching;

/// <summary>
/// Cached responses in a size-bounded <see cref="MemoryCache"/> of the gateway's own, plus an index of
/// keys per region so a region can be cleared at once.
/// </summary>
public sealed class ResponseCacheStore : IResponseCacheStore, IDisposable
{
    private readonly MemoryCache _cache;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _regions = new(StringComparer.Ordinal);

    public ResponseCacheStore(IOptions<OutputCacheSettings> settings, TimeProvider time)
    {
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = settings.Value.SizeLimitBytes,
            Clock = new TimeProviderClock(time),
            // Evict a fifth of the entries when full, least recently used first.
            CompactionPercentage = 0.2,
        });
    }

    /// <summary>How many responses are cached now.</summary>
    public int Count => _cache.Count;

    public CachedResponse? Get(string key) => _cache.TryGetValue(key, out CachedResponse? response) ? response : null;

    public ValueTask<CachedResponse?> GetAsync(string key) => new(Get(key));

    public ValueTask StoreAsync(string key, string region, TimeSpan ttl, CachedResponse response)
    {
        Store(key, region, ttl, response);
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> ClearRegionAsync(string region) => new(ClearRegion(region));

    public void Store(string key, string region, TimeSpan ttl, CachedResponse response)
    {
        var keys = _regions.GetOrAdd(region, static _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        keys[key] = 0;
        var options = new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = ttl,
            Size = response.Size,
        };
        options.RegisterPostEvictionCallback(static (evictedKey, _, reason, state) =>
        {
            if (reason != EvictionReason.Replaced)
            {
                ((ConcurrentDictionary<string, byte>)state!).TryRemove((string)evictedKey, out byte _);
            }
        }, keys);
        _cache.Set(key, response, options);
    }

    /// <summary>Removes every entry of <paramref name="region"/>; returns how many there were.</summary>
    public int ClearRegion(string region)
    {
        if (!_regions.TryGetValue(region, out var keys))
        {
            return 0;
        }

        var removed = 0;
        foreach (var key in keys.Keys)
        {
            if (keys.TryRemove(key, out _))
            {
                _cache.Remove(key);
                removed++;
            }
        }

        return removed;
    }

    public void Dispose() => _cache.Dispose();

    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
