namespace MicroDemo.Gateway.Caching;

/// <summary>One route's effective output-cache options (ocelot.json <c>CacheOptions</c>).</summary>
/// <param name="Region">Entries are cleared per region (<c>DELETE /administration/outputcache/{region}</c>).</param>
/// <param name="Header">A request header whose value becomes part of the key (Ocelot default <c>OC-Cache-Control</c>).</param>
/// <param name="EnableContentHashing">Puts the request body in the key; only then are POST responses cached.</param>
public sealed record RouteCacheOptions(int TtlSeconds, string Region, string Header = "OC-Cache-Control", bool EnableContentHashing = false)
{
    public bool Enabled => TtlSeconds > 0;
}

/// <summary>Gateway-wide cache limits, bound from <c>Gateway:Caching</c> in the gateway's settings.</summary>
public sealed record OutputCacheSettings
{
    public const string SectionName = "Gateway:Caching";

    /// <summary>Upper bound of all cached bodies and headers together; least recently used entries go first.</summary>
    public long SizeLimitBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Responses larger than this are streamed and not cached.</summary>
    public int MaxEntryBytes { get; init; } = 1024 * 1024;
}
