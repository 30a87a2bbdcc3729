using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using MicroDemo.Gateway.Tests.Security;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Policies.OcelotJson;

namespace MicroDemo.Gateway.Tests.Policies;

/// <summary>The route output cache end to end: what is served from the cache, what reaches the downstream.</summary>
public sealed class CachingTests : IAsyncLifetime
{
    private Downstream _downstream = null!;

    public async Task InitializeAsync() => _downstream = await Downstream.StartAsync();

    public async Task DisposeAsync() => await _downstream.DisposeAsync();

    [Fact]
    public async Task First_GET_is_a_miss_and_the_second_a_hit_with_Age_served_without_the_downstream()
    {
        await using var gateway = Start(new { FileCacheOptions = new { TtlSeconds = 60 } });

        using var miss = await gateway.Client.GetAsync("/c/items?page=1");
        Assert.Equal(HttpStatusCode.OK, miss.StatusCode);
        Assert.Equal("MISS", miss.Header("X-Cache"));
        Assert.Null(miss.Headers.Age);
        var body = await miss.Content.ReadAsStringAsync();
        Assert.StartsWith("call 1: GET /items?page=1", body);

        using var hit = await gateway.Client.GetAsync("/c/items?page=1");
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal("HIT", hit.Header("X-Cache"));
        Assert.NotNull(hit.Headers.Age);
        Assert.InRange(hit.Headers.Age.Value, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        Assert.Equal("text/plain", hit.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await hit.Content.ReadAsStringAsync());
        Assert.Equal(1, _downstream.Requests);

        // The URL is part of the key.
        using var otherQuery = await gateway.Client.GetAsync("/c/items?page=2");
        Assert.Equal("MISS", otherQuery.Header("X-Cache"));
        Assert.Equal(2, _downstream.Requests);
    }

    [Fact]
    public async Task Hit_for_a_client_that_accepts_gzip_decodes_to_the_cached_body()
    {
        await using var gateway = Start(new { CacheOptions = new { TtlSeconds = 60 } });
        using var gzipClient = GatewayHost.NewClient(gateway.Address, new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip });

        using var miss = await gzipClient.GetAsync("/c/items");
        using var hit = await gzipClient.GetAsync("/c/items");
        using var plainHit = await gateway.Client.GetAsync("/c/items");

        Assert.Equal(("MISS", "HIT", "HIT"), (miss.Header("X-Cache"), hit.Header("X-Cache"), plainHit.Header("X-Cache")));
        var body = await miss.Content.ReadAsStringAsync();
        Assert.StartsWith("call 1:", body);
        Assert.Equal(body, await hit.Content.ReadAsStringAsync());
        Assert.Equal(body, await plainHit.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Entry_expires_after_TtlSeconds()
    {
        await using var gateway = Start(new { CacheOptions = new { TtlSeconds = 1 } });
        // Another URL compiles the gateway's code paths first, so the one-second entry lives long enough to be hit.
        (await gateway.Client.GetAsync("/c/warm-up")).Dispose();
        var clock = Stopwatch.StartNew();
        using (var miss = await gateway.Client.GetAsync("/c/items"))
        {
            Assert.Equal("MISS", miss.Header("X-Cache"));
        }

        using (var hit = await gateway.Client.GetAsync("/c/items"))
        {
            Assert.Equal("HIT", hit.Header("X-Cache"));
        }

        using var expired = await Eventually.MatchAsync(() => gateway.Client.GetAsync("/c/items"),
            response => response.Header("X-Cache") == "MISS", "the cached entry expired");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"expired after {clock.Elapsed}");
        Assert.StartsWith("call 3:", await expired.Content.ReadAsStringAsync());
        Assert.Equal(3, _downstream.Requests);
    }

    [Fact]
    public async Task Values_of_the_configured_Header_are_separate_entries()
    {
        await using var gateway = Start(new { CacheOptions = new { TtlSeconds = 60, Header = "X-Tenant" } });

        var results = new List<string?>();
        foreach (var tenant in new[] { "red", "blue", "red", "blue" })
        {
            using var response = await gateway.Client.GetAsync("/c/items", ("X-Tenant", tenant));
            results.Add(response.Header("X-Cache"));
        }

        using var withoutHeader = await gateway.Client.GetAsync("/c/items");
        results.Add(withoutHeader.Header("X-Cache"));
        // The default variation header is not consulted when another one is configured.
        using var defaultHeader = await gateway.Client.GetAsync("/c/items", ("OC-Cache-Control", "bust"));
        results.Add(defaultHeader.Header("X-Cache"));

        Assert.Equal(["MISS", "MISS", "HIT", "HIT", "MISS", "HIT"], results);
        Assert.Equal(3, _downstream.Requests);
    }

    [Fact]
    public async Task With_EnableContentHashing_POST_bodies_vary_the_key_and_still_reach_the_downstream()
    {
        await using var gateway = Start(new { CacheOptions = new { TtlSeconds = 60, EnableContentHashing = true } });

        var results = new List<(string?, string)>();
        foreach (var body in new[] { "{\"q\":1}", "{\"q\":2}", "{\"q\":1}" })
        {
            using var response = await gateway.Client.SendAsync(HttpMethod.Post, "/c/search", body);
            results.Add((response.Header("X-Cache"), await response.Content.ReadAsStringAsync()));
        }

        Assert.Equal(("MISS", "call 1: POST /search body={\"q\":1}"), results[0]);
        Assert.Equal(("MISS", "call 2: POST /search body={\"q\":2}"), results[1]);
        Assert.Equal(("HIT", "call 1: POST /search body={\"q\":1}"), results[2]);
        Assert.Equal(2, _downstream.Requests);
    }

    [Fact]
    public async Task Without_EnableContentHashing_POST_is_never_cached()
    {
        await using var gateway = Start(new { CacheOptions = new { TtlSeconds = 60 } });

        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.Client.SendAsync(HttpMethod.Post, "/c/search", "{\"q\":1}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.Header("X-Cache"));
        }

        Assert.Equal(2, _downstream.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_are_never_cached(int status)
    {
        _downstream.StatusCode = status;
        await using var gateway = Start(new { CacheOptions = new { TtlSeconds = 60 } });

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.Client.GetAsync("/c/items");
            Assert.Equal((HttpStatusCode)status, response.StatusCode);
            Assert.Equal("MISS", response.Header("X-Cache"));
        }

        Assert.Equal(3, _downstream.Requests);

        _downstream.StatusCode = 200;
        using var recovered = await gateway.Client.GetAsync("/c/items");
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        using var cached = await gateway.Client.GetAsync("/c/items");
        Assert.Equal((HttpStatusCode.OK, "HIT"), (cached.StatusCode, cached.Header("X-Cache")));
    }

    [Fact]
    public async Task Responses_that_set_a_cookie_are_never_cached()
    {
        _downstream.SetCookie = "session=abc; Path=/";
        await using var gateway = Start(new { CacheOptions = new { TtlSeconds = 60 } });

        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.Client.GetAsync("/c/items");
            Assert.Equal("MISS", response.Header("X-Cache"));
        }

        Assert.Equal(2, _downstream.Requests);
    }

    [Fact]
    public async Task Clearing_the_region_through_the_admin_API_answers_204_and_the_next_call_misses()
    {
        await using var issuer = await TestTokenIssuer.StartAsync();
        await using var gateway = GatewayHost.Start(
            Document(
                Route("/c", _downstream.Port, new { CacheOptions = new { TtlSeconds = 60, Region = "catalog" } }),
                Route("/other", _downstream.Port, new { CacheOptions = new { TtlSeconds = 60, Region = "other" } })),
            GatewayHost.WithBearer(issuer));
        foreach (var path in new[] { "/c/items", "/c/items", "/other/items" })
        {
            (await gateway.Client.GetAsync(path)).Dispose();
        }

        using (var anonymous = await gateway.Client.DeleteAsync("/administration/outputcache/catalog"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var stillCached = await gateway.Client.GetAsync("/c/items"))
        {
            Assert.Equal("HIT", stillCached.Header("X-Cache"));
        }

        using var clear = new HttpRequestMessage(HttpMethod.Delete, "/administration/outputcache/catalog");
        clear.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.CreateToken(scope: "gateway.admin"));
        using (var cleared = await gateway.Client.SendAsync(clear))
        {
            Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        }

        using var afterClear = await gateway.Client.GetAsync("/c/items");
        Assert.Equal("MISS", afterClear.Header("X-Cache"));
        using var otherRegion = await gateway.Client.GetAsync("/other/items");
        Assert.Equal("HIT", otherRegion.Header("X-Cache"));
        Assert.Equal(3, _downstream.Requests);
    }

    [Fact]
    public async Task Rate_limiting_still_applies_to_cache_hits()
    {
        await using var gateway = Start(new
        {
            CacheOptions = new { TtlSeconds = 60 },
            RateLimitOptions = new { Limit = 2, Period = "1h" },
        });

        using var miss = await gateway.Client.GetAsync("/c/items", ("Oc-Client", "alice"));
        using var hit = await gateway.Client.GetAsync("/c/items", ("Oc-Client", "alice"));
        using var limited = await gateway.Client.GetAsync("/c/items", ("Oc-Client", "alice"));

        Assert.Equal(("MISS", "HIT"), (miss.Header("X-Cache"), hit.Header("X-Cache")));
        Assert.Equal("0", hit.Header("X-RateLimit-Remaining"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Null(limited.Header("X-Cache"));
        Assert.Equal(1, _downstream.Requests);
    }

    [Fact]
    public async Task Authentication_still_applies_to_cache_hits()
    {
        await using var issuer = await TestTokenIssuer.StartAsync();
        await using var gateway = GatewayHost.Start(
            Document(Route("/c", _downstream.Port, new
            {
                CacheOptions = new { TtlSeconds = 60 },
                AuthenticationOptions = new { AuthenticationProviderKeys = new[] { "Bearer" } },
            })),
            GatewayHost.WithBearer(issuer));
        var token = ("Authorization", "Bearer " + issuer.CreateToken());

        using var miss = await gateway.Client.GetAsync("/c/items", token);
        using var hit = await gateway.Client.GetAsync("/c/items", token);
        using var anonymous = await gateway.Client.GetAsync("/c/items");
        using var forged = await gateway.Client.GetAsync("/c/items", ("Authorization", "Bearer " + issuer.CreateToken(signWith: TestTokenIssuer.NewKey())));

        Assert.Equal((HttpStatusCode.OK, "MISS"), (miss.StatusCode, miss.Header("X-Cache")));
        Assert.Equal((HttpStatusCode.OK, "HIT"), (hit.StatusCode, hit.Header("X-Cache")));
        Assert.Equal((HttpStatusCode.Unauthorized, null), (anonymous.StatusCode, anonymous.Header("X-Cache")));
        Assert.Equal((HttpStatusCode.Unauthorized, null), (forged.StatusCode, forged.Header("X-Cache")));
        Assert.Equal(1, _downstream.Requests);
    }

    [Fact]
    public async Task On_an_authenticated_route_two_callers_get_their_own_entries()
    {
        await using var issuer = await TestTokenIssuer.StartAsync();
        await using var gateway = StartAuthenticated(issuer, new { TtlSeconds = 60 });
        var alice = ("Authorization", "Bearer " + issuer.CreateToken(subject: "alice"));
        var bob = ("Authorization", "Bearer " + issuer.CreateToken(subject: "bob"));

        using var aliceMiss = await gateway.Client.GetAsync("/c/items", alice);
        using var bobMiss = await gateway.Client.GetAsync("/c/items", bob);
        using var aliceHit = await gateway.Client.GetAsync("/c/items", alice);
        using var bobHit = await gateway.Client.GetAsync("/c/items", bob);

        Assert.Equal(("MISS", "MISS", "HIT", "HIT"), (aliceMiss.Header("X-Cache"), bobMiss.Header("X-Cache"), aliceHit.Header("X-Cache"), bobHit.Header("X-Cache")));
        Assert.StartsWith("call 1:", await aliceHit.Content.ReadAsStringAsync());
        Assert.StartsWith("call 2:", await bobHit.Content.ReadAsStringAsync());
        Assert.Equal(2, _downstream.Requests);
    }

    [Fact]
    public async Task A_Shared_authenticated_route_answers_every_caller_from_one_entry()
    {
        await using var issuer = await TestTokenIssuer.StartAsync();
        await using var gateway = StartAuthenticated(issuer, new { TtlSeconds = 60, Shared = true });

        using var aliceMiss = await gateway.Client.GetAsync("/c/items", ("Authorization", "Bearer " + issuer.CreateToken(subject: "alice")));
        using var bobHit = await gateway.Client.GetAsync("/c/items", ("Authorization", "Bearer " + issuer.CreateToken(subject: "bob")));

        Assert.Equal(("MISS", "HIT"), (aliceMiss.Header("X-Cache"), bobHit.Header("X-Cache")));
        Assert.Equal(1, _downstream.Requests);
    }

    [Theory]
    [InlineData("no-store")]
    [InlineData("private, max-age=60")]
    public async Task A_response_the_downstream_marks_no_store_or_private_is_not_kept_for_everyone(string cacheControl)
    {
        _downstream.CacheControl = cacheControl;
        await using var gateway = Start(new { CacheOptions = new { TtlSeconds = 60 } });

        using var first = await gateway.Client.GetAsync("/c/items");
        using var second = await gateway.Client.GetAsync("/c/items");

        Assert.Equal(("MISS", "MISS"), (first.Header("X-Cache"), second.Header("X-Cache")));
        Assert.Contains(cacheControl.Split(',')[0], second.Header("Cache-Control"));
        Assert.Equal(2, _downstream.Requests);
    }

    private GatewayHost StartAuthenticated(TestTokenIssuer issuer, object cacheOptions) => GatewayHost.Start(
        Document(Route("/c", _downstream.Port, new
        {
            CacheOptions = cacheOptions,
            AuthenticationOptions = new { AuthenticationProviderKeys = new[] { "Bearer" } },
        })),
        GatewayHost.WithBearer(issuer));

    private GatewayHost Start(object routeOptions) => GatewayHost.Start(Document(Route("/c", _downstream.Port, routeOptions)));
}
