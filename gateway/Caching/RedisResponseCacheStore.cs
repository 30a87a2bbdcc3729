using System.Text.Json;
using System.Text.Json.Serialization;
using MicroDemo.Gateway.Distributed;
using StackExchange.Redis;

namespace MicroDemo.Gateway.Caching;

/// <summary>
/// Cached responses in Redis, shared by every replica: each entry a string with its TTL, each region a set of its
/// entries' keys, so clearing a region on one replica is a miss on all of them. While Redis is away the replica
/// caches in memory (<see cref="SharedState"/>); clearing a region always clears both.
/// </summary>
/// <remarks>
/// A store of our own rather than HybridCache (with tags as regions): HybridCache keeps a first level in each
/// replica's memory that a region cleared elsewhere does not reach without a backplane, so replica B could still hit
/// what A just cleared; and its get-or-create shape does not fit a response that is stored only once it has streamed
/// to the client, nor <c>Vary</c> checked on each hit.
/// </remarks>
public sealed class RedisResponseCacheStore(SharedState redis, ResponseCacheStore local) : IResponseCacheStore
{
    private const string EntryPrefix = "microdemo:cache:entry:";
    private const string RegionPrefix = "microdemo:cache:region:";

    // KEYS: the entry, its region's set. ARGV: the entry, its TTL in ms. The set lives as long as its longest-lived entry.
    private const string StoreScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('SADD', KEYS[2], KEYS[1])
        if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
        return 1
        """;

    // KEYS: the region's set. Returns how many of its entries were still there. (Entry keys are read from the set, so
    // this runs on one Redis server, not a cluster.)
    private const string ClearScript = """
        local removed = 0
        for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do removed = removed + redis.call('DEL', key) end
        redis.call('DEL', KEYS[1])
        return removed
        """;

    public ValueTask<CachedResponse?> GetAsync(string key) =>
        redis.UseAsync(
            async database => await database.StringGetAsync(EntryPrefix + key) is { IsNull: false } stored
                ? JsonSerializer.Deserialize((byte[])stored!, CachedResponseJson.Default.CachedResponse)
                : null,
            () => local.Get(key));

    public async ValueTask StoreAsync(string key, string region, TimeSpan ttl, CachedResponse response) =>
        await redis.UseAsync(
            async database =>
            {
                await database.ScriptEvaluateAsync(
                    StoreScript,
                    [EntryPrefix + key, RegionPrefix + region],
                    [JsonSerializer.SerializeToUtf8Bytes(response, CachedResponseJson.Default.CachedResponse), (long)ttl.TotalMilliseconds]);
                return true;
            },
            () =>
            {
                local.Store(key, region, ttl, response);
                return true;
            });

    public async ValueTask<int> ClearRegionAsync(string region)
    {
        // Entries cached in memory during an outage must not outlive a clear either.
        var removedHere = local.ClearRegion(region);
        return await redis.UseAsync(
            async database => (int)await database.ScriptEvaluateAsync(ClearScript, [RegionPrefix + region]),
            () => removedHere);
    }
}

[JsonSerializable(typeof(CachedResponse))]
internal sealed partial class CachedResponseJson : JsonSerializerContext;
