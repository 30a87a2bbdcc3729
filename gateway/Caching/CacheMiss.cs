namespace MicroDemo.Gateway.Caching;

/// <summary>
/// A request the cache could not answer, and what storing its response needs: the key, whether the entry is shared by
/// every caller (then a <c>Cache-Control: private</c> response is not stored), and the request headers a <c>Vary</c>
/// may name.
/// </summary>
public sealed record CacheMiss(string Key, bool Shared, IHeaderDictionary RequestHeaders);
