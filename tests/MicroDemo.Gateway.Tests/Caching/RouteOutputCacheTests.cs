using System.Security.Claims;
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
        _cache = new RouteOutputCache(_store, Options.Create(new OutputCacheSettings { SizeLimitBytes = 10_000, MaxEntryBytes = 2_000 }), _clock);
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task First_request_misses_second_is_served_from_cache_with_age()
    {
        var (served, miss) = await LookupAsync(Request("GET", "/api/users"), Users);
        Assert.False(served);
        Assert.True(await _cache.TryStoreAsync(miss!, Users, 200, JsonHeaders, "[1]"u8.ToArray()));
        _clock.Advance(TimeSpan.FromSeconds(4));

        var hit = Request("GET", "/api/users");
        var second = await LookupAsync(hit, Users);

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

        await LookupAsync(context, Users);

        Assert.Equal("MISS", context.Response.Headers["X-Cache"]);
    }

    [Fact]
    public async Task Entries_expire_after_ttl()
    {
        await StoreAsync("/api/users", Users);
        _clock.Advance(TimeSpan.FromSeconds(31));

        var (served, _) = await LookupAsync(Request("GET", "/api/users"), Users);

        Assert.False(served);
    }

    [Fact]
    public async Task Header_value_varies_the_key()
    {
        var options = Users with { Header = "Authorization" };
        await StoreAsync("/api/users", options, ("Authorization", "Bearer a"));

        var same = await LookupAsync(Request("GET", "/api/users", ("Authorization", "Bearer a")), options);
        var other = await LookupAsync(Request("GET", "/api/users", ("Authorization", "Bearer b")), options);

        Assert.True(same.Served);
        Assert.False(other.Served);
    }

    [Fact]
    public async Task Post_is_not_cached_without_content_hashing()
    {
        var (served, miss) = await LookupAsync(Request("POST", "/api/users", body: "{}"), Users);

        Assert.False(served);
        Assert.Null(miss);
    }

    [Fact]
    public async Task With_content_hashing_post_bodies_vary_the_key_and_the_body_is_rewound()
    {
        var options = Users with { EnableContentHashing = true };
        var first = Request("POST", "/api/search", body: "{\"q\":1}");
        var (_, miss) = await LookupAsync(first, options);
        await _cache.TryStoreAsync(miss!, options, 200, JsonHeaders, "r1"u8.ToArray());

        var same = await LookupAsync(Request("POST", "/api/search", body: "{\"q\":1}"), options);
        var other = await LookupAsync(Request("POST", "/api/search", body: "{\"q\":2}"), options);

        Assert.Equal("{\"q\":1}", await new StreamReader(first.Request.Body).ReadToEndAsync());
        Assert.True(same.Served);
        Assert.False(other.Served);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_are_never_stored(int status)
    {
        var (_, miss) = await LookupAsync(Request("GET", "/api/users"), Users);

        Assert.False(await _cache.TryStoreAsync(miss!, Users, status, JsonHeaders, "{}"u8.ToArray()));
        Assert.False((await LookupAsync(Request("GET", "/api/users"), Users)).Served);
    }

    [Fact]
    public async Task Client_errors_are_stored_as_received()
    {
        var (_, miss) = await LookupAsync(Request("GET", "/api/users/9"), Users);

        Assert.True(await _cache.TryStoreAsync(miss!, Users, 404, JsonHeaders, "{}"u8.ToArray()));
    }

    [Fact]
    public async Task Responses_that_set_a_cookie_or_are_too_large_are_not_stored()
    {
        var (_, miss) = await LookupAsync(Request("GET", "/api/users"), Users);

        Assert.False(await _cache.TryStoreAsync(miss!, Users, 200, [new("Set-Cookie", ["s=1"])], "{}"u8.ToArray()));
        Assert.False(await _cache.TryStoreAsync(miss!, Users, 200, JsonHeaders, new byte[2_001]));
    }

    [Fact]
    public async Task Clearing_a_region_removes_only_its_entries()
    {
        var orders = new CacheSettings(30, "orders", CacheSettings.DefaultHeader, false);
        await StoreAsync("/api/users", Users);
        await StoreAsync("/api/users/1", Users);
        await StoreAsync("/api/orders", orders);

        var removed = await _cache.ClearRegionAsync("users");

        Assert.Equal(2, removed);
        Assert.False((await LookupAsync(Request("GET", "/api/users"), Users)).Served);
        Assert.True((await LookupAsync(Request("GET", "/api/orders"), orders)).Served);
    }

    [Fact]
    public async Task Memory_stays_within_the_size_limit()
    {
        for (var i = 0; i < 30; i++)
        {
            var (_, miss) = await LookupAsync(Request("GET", $"/api/users/{i}"), Users);
            await _cache.TryStoreAsync(miss!, Users, 200, JsonHeaders, new byte[1_000]);
        }

        var hits = 0;
        for (var i = 0; i < 30; i++)
        {
            if ((await LookupAsync(Request("GET", $"/api/users/{i}"), Users)).Served)
            {
                hits++;
            }
        }

        Assert.InRange(hits, 1, 9); // 10,000 bytes hold at most nine ~1,100-byte entries
    }

    [Fact]
    public async Task Head_hit_has_no_body()
    {
        var (_, miss) = await LookupAsync(Request("HEAD", "/api/users"), Users);
        await _cache.TryStoreAsync(miss!, Users, 200, JsonHeaders, "[1]"u8.ToArray());

        var hit = Request("HEAD", "/api/users");
        await LookupAsync(hit, Users);

        Assert.Equal("", Body(hit));
    }

    [Fact]
    public async Task On_an_authenticated_route_each_caller_has_its_own_entry()
    {
        var (_, miss) = await LookupAsync(Caller("GET", "/api/users", sub: "alice"), Users, routeAuthenticates: true);
        await _cache.TryStoreAsync(miss!, Users, 200, JsonHeaders, "alice's"u8.ToArray());

        var alice = Caller("GET", "/api/users", sub: "alice");
        var bob = Caller("GET", "/api/users", sub: "bob");
        var machine = Caller("GET", "/api/users", clientId: "alice");

        Assert.True((await LookupAsync(alice, Users, routeAuthenticates: true)).Served);
        Assert.Equal("alice's", Body(alice));
        Assert.False((await LookupAsync(bob, Users, routeAuthenticates: true)).Served);
        Assert.False((await LookupAsync(machine, Users, routeAuthenticates: true)).Served); // a client id is not a subject
    }

    [Fact]
    public async Task A_Shared_route_gives_every_caller_the_same_entry()
    {
        var shared = Users with { Shared = true };
        var (_, miss) = await LookupAsync(Caller("GET", "/api/users", sub: "alice"), shared, routeAuthenticates: true);
        await _cache.TryStoreAsync(miss!, shared, 200, JsonHeaders, "[1]"u8.ToArray());

        Assert.True((await LookupAsync(Caller("GET", "/api/users", sub: "bob"), shared, routeAuthenticates: true)).Served);
    }

    [Fact]
    public async Task A_caller_without_sub_or_client_id_on_an_authenticated_route_is_not_cached()
    {
        var (served, miss) = await LookupAsync(Caller("GET", "/api/users"), Users, routeAuthenticates: true);

        Assert.False(served);
        Assert.Null(miss);
    }

    [Fact]
    public async Task No_store_is_never_stored_and_private_only_per_caller()
    {
        KeyValuePair<string, string[]>[] CacheControl(string value) => [.. JsonHeaders, new("Cache-Control", [value])];
        var (_, sharedMiss) = await LookupAsync(Request("GET", "/api/users"), Users);
        var (_, callerMiss) = await LookupAsync(Caller("GET", "/api/users", sub: "alice"), Users, routeAuthenticates: true);

        Assert.False(await _cache.TryStoreAsync(callerMiss!, Users, 200, CacheControl("no-store"), "{}"u8.ToArray()));
        Assert.False(await _cache.TryStoreAsync(sharedMiss!, Users, 200, CacheControl("private, max-age=60"), "{}"u8.ToArray()));
        Assert.True(await _cache.TryStoreAsync(callerMiss!, Users, 200, CacheControl("private, max-age=60"), "{}"u8.ToArray()));
        Assert.True(await _cache.TryStoreAsync(sharedMiss!, Users, 200, CacheControl("public, max-age=60"), "{}"u8.ToArray()));
    }

    [Fact]
    public async Task Vary_keeps_the_entry_to_requests_with_the_same_values_and_Vary_star_is_not_stored()
    {
        var (_, miss) = await LookupAsync(Request("GET", "/api/users", ("Accept-Language", "fr")), Users);
        Assert.True(await _cache.TryStoreAsync(miss!, Users, 200, [.. JsonHeaders, new("Vary", ["Accept-Language"])], "bonjour"u8.ToArray()));

        Assert.True((await LookupAsync(Request("GET", "/api/users", ("Accept-Language", "fr")), Users)).Served);
        Assert.False((await LookupAsync(Request("GET", "/api/users", ("Accept-Language", "de")), Users)).Served);
        Assert.False((await LookupAsync(Request("GET", "/api/users"), Users)).Served);

        var (_, anything) = await LookupAsync(Request("GET", "/api/other"), Users);
        Assert.False(await _cache.TryStoreAsync(anything!, Users, 200, [.. JsonHeaders, new("Vary", ["*"])], "{}"u8.ToArray()));
    }

    private ValueTask<(bool Served, CacheMiss? Miss)> LookupAsync(HttpContext context, CacheSettings options, bool routeAuthenticates = false) =>
        _cache.LookupAsync(context, options, routeAuthenticates);

    private async Task StoreAsync(string path, CacheSettings options, params (string, string)[] headers)
    {
        var (_, miss) = await LookupAsync(Request("GET", path, headers), options);
        await _cache.TryStoreAsync(miss!, options, 200, JsonHeaders, "{}"u8.ToArray());
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

    private static DefaultHttpContext Caller(string method, string path, string? sub = null, string? clientId = null)
    {
        var context = Request(method, path);
        var claims = new List<Claim>();
        if (sub is not null)
        {
            claims.Add(new Claim("sub", sub));
        }

        if (clientId is not null)
        {
            claims.Add(new Claim("client_id", clientId));
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer"));
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
