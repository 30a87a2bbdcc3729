using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;

/// <summary>
/// Asks the token service about reference tokens (RFC 7662) and keeps the answers for a short while.
/// The cache is keyed by a SHA-256 of the token, never the token, and holds at most <see cref="IntrospectionOptions.CacheSizeLimit"/>
/// answers; at most <see cref="IntrospectionOptions.MaxConcurrentRequests"/> calls are in flight, and concurrent requests with
/// the same token share one call. Together they keep a flood of made-up handles from growing memory or overloading the token service.
/// </summary>
public sealed partial class TokenIntrospector : IDisposable
{
    private readonly Uri _endpoint;
    private readonly string _audience;
    private readonly IntrospectionOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MemoryCache _cache;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, Lazy<Task<IntrospectionResult>>> _inFlight = new(StringComparer.Ordinal);
    private readonly AuthenticationHeaderValue _credentials;

    public TokenIntrospector(Uri endpoint, string audience, IntrospectionOptions options, TimeProvider time, ILogger logger, HttpMessageHandler? handler = null)
    {
        _endpoint = endpoint;
        _audience = audience;
        _options = options;
        _time = time;
        _logger = logger;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = options.Timeout };
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.CacheSizeLimit });
        _slots = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined.
        _credentials = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{Uri.EscapeDataString(options.ClientId)}:{Uri.EscapeDataString(options.ClientSecret ?? "")}")));
    }

    /// <summary>Answers currently cached (at most <see cref="IntrospectionOptions.CacheSizeLimit"/>).</summary>
    public int CachedAnswers => _cache.Count;

    public async Task<IntrospectionResult> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        var key = Hash(token);
        if (_cache.TryGetValue(key, out IntrospectionResult? cached) && cached is not null)
        {
            return cached;
        }

        var call = _inFlight.GetOrAdd(key, _ => new Lazy<Task<IntrospectionResult>>(() => CallAndCacheAsync(key, token)));
        return await call.Value.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        _cache.Dispose();
        _slots.Dispose();
    }

    /// <summary>Base64url SHA-256: the cache never holds a usable token, and the key has a fixed size whatever was sent.</summary>
    private static string Hash(string token) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    // Not cancelled by the request that started it: other requests with the same token may be waiting for it.
    private async Task<IntrospectionResult> CallAndCacheAsync(string key, string token)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            if (!await _slots.WaitAsync(_options.Timeout))
            {
                LogSaturated(_logger, _endpoint, _options.MaxConcurrentRequests);
                return IntrospectionResult.Unavailable;
            }

            try
            {
                var (result, expires) = await CallAsync(token, timeout.Token);
                var lifetime = result.Status switch
                {
                    IntrospectionStatus.Active => Min(_options.CacheDuration, expires - _time.GetUtcNow()),
                    IntrospectionStatus.Inactive => _options.InactiveCacheDuration,
                    // Not kept: the next request asks again, so recovery is seen at once.
                    _ => TimeSpan.Zero,
                };
                if (lifetime > TimeSpan.Zero)
                {
                    _cache.Set(key, result, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
                }

                return result;
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<(IntrospectionResult Result, DateTimeOffset Expires)> CallAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
        };
        request.Headers.Authorization = _credentials;

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                LogRefused(_logger, _endpoint, (int)response.StatusCode, _options.ClientId);
                return (IntrospectionResult.Unavailable, default);
            }

            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return Read(document.RootElement);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException)
        {
            LogUnreachable(_logger, _endpoint, exception.GetType().Name);
            return (IntrospectionResult.Unavailable, default);
        }
    }

    private (IntrospectionResult Result, DateTimeOffset Expires) Read(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object
            || !answer.TryGetProperty("active", out var active) || active.ValueKind != JsonValueKind.True
            || !answer.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds))
        {
            return (IntrospectionResult.Inactive, default);
        }

        var claims = new List<Claim>();
        foreach (var property in answer.EnumerateObject().Where(property => property.Name != "active"))
        {
            claims.AddRange(Values(property.Value).Select(value => new Claim(property.Name, value)));
        }

        // An access token for this API only: OpenIddict names the kind in token_usage, the audience in aud.
        var usage = claims.Find(claim => claim.Type == "token_usage")?.Value;
        var forUs = claims.Exists(claim => claim.Type == "aud" && claim.Value == _audience);
        return usage is null or "access_token" && forUs
            ? (IntrospectionResult.Active(claims), DateTimeOffset.FromUnixTimeSeconds(expSeconds))
            : (IntrospectionResult.Inactive, default);
    }

    private static IEnumerable<string> Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [value.GetRawText()],
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Values),
        _ => [],
    };

    private static TimeSpan Min(TimeSpan left, TimeSpan right) => left < right ? left : right;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Introspection at {Endpoint} answered {StatusCode}; check the API credentials ({ClientId}) of the introspection settings")]
    private static partial void LogRefused(ILogger logger, Uri endpoint, int statusCode, string clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Introspection at {Endpoint} failed ({Failure}); reference tokens without a cached answer get 503")]
    private static partial void LogUnreachable(ILogger logger, Uri endpoint, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "All {Slots} introspection slots for {Endpoint} stayed busy for the whole timeout; answered 503")]
    private static partial void LogSaturated(ILogger logger, Uri endpoint, int slots);
}
