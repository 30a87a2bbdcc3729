using System.Text.Json.Serialization;

namespace MicroDemo.Gateway.Caching;

/// <summary>A downstream response as stored: replayed byte for byte on a hit.</summary>
public sealed record CachedResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[] Body, DateTimeOffset StoredAt)
{
    /// <summary>The request headers the response's <c>Vary</c> names, with the values it was stored for.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Vary { get; init; } = [];

    /// <summary>Whether a request may be answered with this entry: it sends the same values of the <see cref="Vary"/> headers.</summary>
    public bool MatchesVary(IHeaderDictionary request)
    {
        foreach (var (name, value) in Vary)
        {
            if (!string.Equals(request[name].ToString(), value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What the entry costs against <see cref="OutputCacheSettings.SizeLimitBytes"/>.</summary>
    [JsonIgnore]
    public long Size
    {
        get
        {
            long size = Body.Length + 64;
            foreach (var (name, values) in Headers)
            {
                size += name.Length;
                foreach (var value in values)
                {
                    size += value.Length;
                }
            }

            return size;
        }
    }
}
