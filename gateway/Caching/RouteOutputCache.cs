using System.Buffers;
using System.Globalization;
using System.Security.Claims;
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
/// Ocelot's key (method, the URL as received, the <c>Header</c> value, the body with content hashing) with the safer
/// rules of MicroDemo: GET/HEAD only (POST only with content hashing), never a 5xx, never a gateway-made error, never
/// a response that sets a cookie. A shared cache must not hand one caller's response to another (RFC 9111 §3.5): on a
/// route that authenticates, the key also names the caller unless the route's entries are <c>Shared</c>; the
/// downstream's <c>Cache-Control: no-store</c>, <c>private</c> (for shared entries) and <c>Vary</c> are honoured.
/// </summary>
public sealed class RouteOutputCache(IResponseCacheStore store, IOptions<OutputCacheSettings> settings, TimeProvider time)
{
    public const string CacheStatusHeader = "X-Cache";

    /// <summary>The largest body that is buffered for the cache; larger responses stream uncached.</summary>
    public int MaxEntryBytes => settings.Value.MaxEntryBytes;

    /// <summary>
    /// Serves the request from the cache when it can. Returns what storing the downstream response needs (a miss),
    /// or null when the request is not cacheable or was served (see <paramref name="served"/>).
    /// </summary>
    /// <param name="routeAuthenticates">The route authenticated the caller (<c>context.User</c>) before this lookup.</param>
    public async ValueTask<(bool Served, CacheMiss? Miss)> LookupAsync(HttpContext context, CacheSettings options, bool routeAuthenticates)
    {
        if (!options.Enabled || !IsCacheableMethod(context.Request.Method, options))
        {
            return (false, null);
        }

        string? caller = null;
        if (routeAuthenticates && !options.Shared && (caller = CallerOf(context.User)) is null)
        {
            return (false, null); // nobody to keep the entry apart for: not cached rather than shared
        }

        var key = await ComputeKeyAsync(context.Request, options, caller);
        if (await store.GetAsync(key) is { } cached && cached.MatchesVary(context.Request.Headers))
        {
            await WriteHitAsync(context, cached);
            return (true, null);
        }

        context.Response.Headers[CacheStatusHeader] = "MISS";
        return (false, new CacheMiss(key, Shared: caller is null, context.Request.Headers));
    }

    /// <summary>
    /// Stores a downstream response for <paramref name="miss"/> if MicroDemo's rules and the response's own
    /// <c>Cache-Control</c> and <c>Vary</c> allow it. <paramref name="headers"/> are the downstream's, as replayed on a hit.
    /// </summary>
    public async ValueTask<bool> TryStoreAsync(CacheMiss miss, CacheSettings options, int statusCode, IReadOnlyList<KeyValuePair<string, string[]>> headers, byte[] body)
    {
        if (statusCode >= 500 || body.Length > settings.Value.MaxEntryBytes || Has(headers, HeaderNames.SetCookie)
            || ForbidsStoring(headers, miss.Shared) || !TryReadVary(headers, miss.RequestHeaders, out var vary))
        {
            return false;
        }

        await store.StoreAsync(miss.Key, options.Region, options.Ttl, new CachedResponse(statusCode, headers, body, time.GetUtcNow()) { Vary = vary });
        return true;
    }

    public ValueTask<int> ClearRegionAsync(string region) => store.ClearRegionAsync(region);

    private static bool IsCacheableMethod(string method, CacheSettings options) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || (options.EnableContentHashing && HttpMethods.IsPost(method));

    private static bool Has(IReadOnlyList<KeyValuePair<string, string[]>> headers, string name) => Values(headers, name).Length > 0;

    private static string[] Values(IReadOnlyList<KeyValuePair<string, string[]>> headers, string name)
    {
        foreach (var (header, values) in headers)
        {
            if (string.Equals(header, name, StringComparison.OrdinalIgnoreCase))
            {
                return values;
            }
        }

        return [];
    }

    // RFC 9111 §5.2.2: no-store forbids any cache to keep the response; private forbids a shared one.
    private static bool ForbidsStoring(IReadOnlyList<KeyValuePair<string, string[]>> headers, bool shared)
    {
        var cacheControl = Values(headers, HeaderNames.CacheControl);
        if (cacheControl.Length == 0)
        {
            return false;
        }

        if (!CacheControlHeaderValue.TryParse(string.Join(", ", cacheControl), out var directives))
        {
            return true; // unreadable directives: storing could break one of them
        }

        return directives.NoStore || (shared && directives.Private);
    }

    // RFC 9111 §4.1: a stored response answers only requests whose Vary-named headers match the ones it was stored
    // for; "Vary: *" matches no other request, so it is not stored at all.
    private static bool TryReadVary(IReadOnlyList<KeyValuePair<string, string[]>> headers, IHeaderDictionary request, out IReadOnlyList<KeyValuePair<string, string>> vary)
    {
        var names = Values(headers, HeaderNames.Vary)
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();
        if (names.Contains("*"))
        {
            vary = [];
            return false;
        }

        vary = names.Select(name => KeyValuePair.Create(name, request[name].ToString())).ToArray();
        return true;
    }

    // Who a per-caller entry belongs to: the user (sub), or a machine client without a user (client_id). The two are
    // prefixed apart, so a client id can never equal a user's subject.
    private static string? CallerOf(ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value is { Length: > 0 } subject ? "sub:" + subject
        : user.FindFirst("client_id")?.Value is { Length: > 0 } client ? "client_id:" + client
        : null;

    // SHA-256 of "{method}-{url as received}[\0{caller}][-{header values}][-{body}]": the body is hashed as it is read, never
    // concatenated into a string, and the request body is rewound for forwarding.
    private static async ValueTask<string> ComputeKeyAsync(HttpRequest request, CacheSettings options, string? caller)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}-{request.GetEncodedUrl()}"));
        if (caller is not null)
        {
            // A NUL cannot occur in a URL or a header value, so no URL or header can forge another caller's key.
            hash.AppendData(Encoding.UTF8.GetBytes("\0" + caller));
        }

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
        var age = (long)Math.Max(0, (time.GetUtcNow() - cached.StoredAt).TotalSeconds);
        response.Headers.Age = age.ToString(CultureInfo.InvariantCulture);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(cached.Body, context.RequestAborted);
        }
    }
}
