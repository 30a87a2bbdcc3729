namespace MicroDemo.Gateway.Caching;

/// <summary>A downstream response as stored: replayed byte for byte on a hit.</summary>
public sealed record CachedResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[] Body, DateTimeOffset StoredAt)
{
    /// <summary>What the entry costs against <see cref="OutputCacheSettings.SizeLimitBytes"/>.</summary>
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
