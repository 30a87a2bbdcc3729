using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MicroDemo.Gateway.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MicroDemo.Gateway.Caching;

/// <summary>
/// The gateway's output cache for one request: computes the key, serves hits, and decides what may be stored.
/// Ocelot's key (method, the URL as received, the <c>Header</c> value, the body with content hashing)
/// with the safer rules of MicroDemo: GET/HEAD only (POST only with content hashing), never a 5xx,
/// never a gateway-made error, never a response that sets a cookie.
/// </summary>
public sealed class RouteOutputCache(ResponseCacheStore store, IOptions<OutputCacheSettings> settings)
{
    public const string CacheStatusHeader = "X-Cache";

    /// <summary>The largest body that is buffered for the cache; larger responses stream uncached.</summary>
    public int MaxEntryBytes => settings.Value.MaxEntryBytes;

    /// <summary>
    /// Serves the request from the cache when it can. Returns the key under which the downstream response
    /// should be stored (a miss), or null when the request is not cacheable or was served (see <paramref name="served"/>).
    /// </summary>
    public async ValueTask<(bool Served, string? Key)> LookupAsync(HttpContext context, CacheSettings options)
    {
        if (!options.Enabled || !IsCacheableMethod(context.Request.Method, options))
        {
            return (false, null);
        }

        var key = await ComputeKeyAsync(context.Request, options);
        if (store.TryGet(key, out var cached))
        {
            await WriteHitAsync(context, cached);
            return (true, null);
        }

        context.Response.Headers[CacheStatusHeader] = "MISS";
        return (false, key);
    }

    /// <summary>Stores a downstream response under <paramref name="key"/> if MicroDemo's rules allow it.</summary>
    public bool TryStore(string key, CacheSettings options, int statusCode, IReadOnlyList<KeyValuePair<string, string[]>> headers, byte[] body)
    {
        if (statusCode >= 500 || body.Length > settings.Value.MaxEntryBytes || SetsCookie(headers))
        {
            return false;
        }

        store.Store(key, options.Region, options.Ttl, new CachedResponse(statusCode, headers, body, store.Now));
        return true;
    }

    public int ClearRegion(string region) => store.ClearRegion(region);

    private static bool IsCacheableMethod(string method, CacheSettings options) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || (options.EnableContentHashing && HttpMethods.IsPost(method));

    private static bool SetsCookie(IReadOnlyList<KeyValuePair<string, string[]>> headers)
    {
        foreach (var (name, _) in headers)
        {
            if (string.Equals(name, HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // SHA-256 of "{method}-{url as received}[-{header values}][-{body}]": the body is hashed as it is read, never
    // concatenated into a string, and the request body is rewound for forwarding.
    private static async ValueTask<string> ComputeKeyAsync(HttpRequest request, CacheSettings options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}-{request.GetEncodedUrl()}"));
        if (request.Headers.TryGetValue(options.Header, out var values))
        {
            hash.AppendData(Encoding.UTF8.GetBytes("-" + values.ToString()));
        }

        if (options.EnableContentHashing && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            request.EnableBuffering();
            hash.AppendData("-"u8);
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            request.Body.Position = 0;
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private async Task WriteHitAsync(HttpContext context, CachedResponse cached)
    {
        var response = context.Response;
        response.StatusCode = cached.StatusCode;
        foreach (var (name, values) in cached.Headers)
        {
            response.Headers[name] = values;
        }

        response.Headers[CacheStatusHeader] = "HIT";
        var age = (long)Math.Max(0, (store.Now - cached.StoredAt).TotalSeconds);
        response.Headers.Age = age.ToString(CultureInfo.InvariantCulture);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(cached.Body, context.RequestAborted);
        }
    }
}
