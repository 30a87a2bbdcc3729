using System.Text;
using MicroDemo.Gateway.Caching;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Tests.Caching;

public sealed class RouteOutputCacheTests : IDisposable
{
    private static readonly CacheSettings Users = new(30, "users", CacheSettings.DefaultHeader, false);
    private static readonly KeyValuePair<string, string[]>[] JsonHeaders = [new("Content-Type", ["application/json"])];

    private readonly ManualTimeProvider _clock = new();
    private readonly ResponseCacheStore _store;
    private readonly RouteOutputCache _cache;

    public RouteOutputCacheTests()
    {
        _store = new ResponseCacheStore(Options.Create(new OutputCacheSettings { SizeLimitBytes = 10_000, MaxEntryBytes = 2_000 }), _clock);
        _cache = new RouteOutputCache(_store, Options.Create(new OutputCacheSettings { SizeLimitBytes = 10_000, MaxEntryBytes = 2_000 }));
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task First_request_misses_second_is_served_from_cache_with_age()
    {
        var (served, key) = await _cache.LookupAsync(Request("GET", "/api/users"), Users);
        Assert.False(served);
        Assert.True(_cache.TryStore(key!, Users, 200, JsonHeaders, "[1]"u8.ToArray()));
        _clock.Advance(TimeSpan.FromSeconds(4));

        var hit = Request("GET", "/api/users");
        var second = await _cache.LookupAsync(hit, Users);

        Assert.True(second.Served);
        Assert.Equal(200, hit.Response.StatusCode);
        Assert.Equal("HIT", hit.Response.Headers["X-Cache"]);
        Assert.Equal("4", hit.Response.Headers.Age);
        Assert.Equal("application/json", hit.Response.Headers.ContentType);
        Assert.Equal("[1]", Body(hit));
    }

    [Fact]
    public async Task Miss_is_marked()
    {
        var context = Request("GET", "/api/users");

        await _cache.LookupAsync(context, Users);

        Assert.Equal("MISS", context.Response.Headers["X-Cache"]);
    }

    [Fact]
    public async Task Entries_expire_after_ttl()
    {
        await StoreAsync("/api/users", Users);
        _clock.Advance(TimeSpan.FromSeconds(31));

        var (served, _) = await _cache.LookupAsync(Request("GET", "/api/users"), Users);

        Assert.False(served);
    }

    [Fact]
    public async Task Header_value_varies_the_key()
    {
        var options = Users with { Header = "Authorization" };
        await StoreAsync("/api/users", options, ("Authorization", "Bearer a"));

        var same = await _cache.LookupAsync(Request("GET", "/api/users", ("Authorization", "Bearer a")), options);
        var other = await _cache.LookupAsync(Request("GET", "/api/users", ("Authorization", "Bearer b")), options);

        Assert.True(same.Served);
        Assert.False(other.Served);
    }

    [Fact]
    public async Task Post_is_not_cached_without_content_hashing()
    {
        var (served, key) = await _cache.LookupAsync(Request("POST", "/api/users", body: "{}"), Users);

        Assert.False(served);
        Assert.Null(key);
    }

    [Fact]
    public async Task With_content_hashing_post_bodies_vary_the_key_and_the_body_is_rewound()
    {
        var options = Users with { EnableContentHashing = true };
        var first = Request("POST", "/api/search", body: "{\"q\":1}");
        var (_, key) = await _cache.LookupAsync(first, options);
        _cache.TryStore(key!, options, 200, JsonHeaders, "r1"u8.ToArray());

        var same = await _cache.LookupAsync(Request("POST", "/api/search", body: "{\"q\":1}"), options);
        var other = await _cache.LookupAsync(Request("POST", "/api/search", body: "{\"q\":2}"), options);

        Assert.Equal("{\"q\":1}", await new StreamReader(first.Request.Body).ReadToEndAsync());
        Assert.True(same.Served);
        Assert.False(other.Served);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_are_never_stored(int status)
    {
        var (_, key) = await _cache.LookupAsync(Request("GET", "/api/users"), Users);

        Assert.False(_cache.TryStore(key!, Users, status, JsonHeaders, "{}"u8.ToArray()));
        Assert.False((await _cache.LookupAsync(Request("GET", "/api/users"), Users)).Served);
    }

    [Fact]
    public async Task Client_errors_are_stored_as_received()
    {
        var (_, key) = await _cache.LookupAsync(Request("GET", "/api/users/9"), Users);

        Assert.True(_cache.TryStore(key!, Users, 404, JsonHeaders, "{}"u8.ToArray()));
    }

    [Fact]
    public async Task Responses_that_set_a_cookie_or_are_too_large_are_not_stored()
    {
        var (_, key) = await _cache.LookupAsync(Request("GET", "/api/users"), Users);

        Assert.False(_cache.TryStore(key!, Users, 200, [new("Set-Cookie", ["s=1"])], "{}"u8.ToArray()));
        Assert.False(_cache.TryStore(key!, Users, 200, JsonHeaders, new byte[2_001]));
    }

    [Fact]
    public async Task Clearing_a_region_removes_only_its_entries()
    {
        var orders = new CacheSettings(30, "orders", CacheSettings.DefaultHeader, false);
        await StoreAsync("/api/users", Users);
        await StoreAsync("/api/users/1", Users);
        await StoreAsync("/api/orders", orders);

        var removed = _cache.ClearRegion("users");

        Assert.Equal(2, removed);
        Assert.False((await _cache.LookupAsync(Request("GET", "/api/users"), Users)).Served);
        Assert.True((await _cache.LookupAsync(Request("GET", "/api/orders"), orders)).Served);
    }

    [Fact]
    public async Task Memory_stays_within_the_size_limit()
    {
        for (var i = 0; i < 30; i++)
        {
            var (_, key) = await _cache.LookupAsync(Request("GET", $"/api/users/{i}"), Users);
            _cache.TryStore(key!, Users, 200, JsonHeaders, new byte[1_000]);
        }

        var hits = 0;
        for (var i = 0; i < 30; i++)
        {
            if ((await _cache.LookupAsync(Request("GET", $"/api/users/{i}"), Users)).Served)
            {
                hits++;
            }
        }

        Assert.InRange(hits, 1, 9); // 10,000 bytes hold at most nine ~1,100-byte entries
    }

    [Fact]
    public async Task Head_hit_has_no_body()
    {
        var (_, key) = await _cache.LookupAsync(Request("HEAD", "/api/users"), Users);
        _cache.TryStore(key!, Users, 200, JsonHeaders, "[1]"u8.ToArray());

        var hit = Request("HEAD", "/api/users");
        await _cache.LookupAsync(hit, Users);

        Assert.Equal("", Body(hit));
    }

    private async Task StoreAsync(string path, CacheSettings options, params (string, string)[] headers)
    {
        var (_, key) = await _cache.LookupAsync(Request("GET", path, headers), options);
        _cache.TryStore(key!, options, 200, JsonHeaders, "{}"u8.ToArray());
    }

    private static DefaultHttpContext Request(string method, string path, params (string Name, string Value)[] headers) =>
        Request(method, path, body: null, headers);

    private static DefaultHttpContext Request(string method, string path, string? body, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 5000);
        context.Request.Path = path;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
