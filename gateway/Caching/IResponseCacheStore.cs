namespace MicroDemo.Gateway.Caching;

/// <summary>Where cached responses live: this process (<see cref="ResponseCacheStore"/>) or Redis, shared by every replica.</summary>
public interface IResponseCacheStore
{
    ValueTask<CachedResponse?> GetAsync(string key);

    ValueTask StoreAsync(string key, string region, TimeSpan ttl, CachedResponse response);

    /// <summary>Removes every entry of <paramref name="region"/>; returns how many there were.</summary>
    ValueTask<int> ClearRegionAsync(string region);
}
