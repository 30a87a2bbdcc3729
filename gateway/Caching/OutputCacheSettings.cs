namespace MicroDemo.Gateway.Caching;

/// <summary>Gateway-wide cache limits, bound from <c>Gateway:Caching</c> in the gateway's settings.</summary>
public sealed record OutputCacheSettings
{
    public const string SectionName = "Gateway:Caching";

    /// <summary>Upper bound of all cached bodies and headers together; least recently used entries go first.</summary>
    public long SizeLimitBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Responses larger than this are streamed and not cached.</summary>
    public int MaxEntryBytes { get; init; } = 1024 * 1024;
}
