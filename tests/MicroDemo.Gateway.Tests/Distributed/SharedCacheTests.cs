using System.Net;
using System.Net.Http.Headers;
using MicroDemo.Gateway.Tests.Policies;
using MicroDemo.Gateway.Tests.Security;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Policies.OcelotJson;

namespace MicroDemo.Gateway.Tests.Distributed;

/// <summary>Two gateway processes sharing one real Redis share the output cache and its regions.</summary>
public sealed class SharedCacheTests : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisServer _redis;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("microdemo-shared-cache-");
    private Downstream _downstream = null!;
    private TestTokenIssuer _issuer = null!;

    public SharedCacheTests(RedisServer redis) => _redis = redis;

    public async Task InitializeAsync()
    {
        _downstream = await Downstream.StartAsync();
        _issuer = await TestTokenIssuer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _issuer.DisposeAsync();
        await _downstream.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task A_response_cached_through_one_replica_is_a_hit_on_the_other_until_its_region_is_cleared_on_the_first()
    {
        var ocelotFile = Path.Combine(_folder.FullName, "ocelot.json");
        await File.WriteAllTextAsync(ocelotFile, Document(
            Route("/c", _downstream.Port, new { CacheOptions = new { TtlSeconds = 60, Region = "catalog" } }),
            Route("/other", _downstream.Port, new { CacheOptions = new { TtlSeconds = 60, Region = "other" } })));
        string[] bearer = ["--Gateway:Authentication:Providers:Bearer:Authority", _issuer.Authority];
        await using var a = await GatewayReplica.StartAsync(ocelotFile, _redis, bearer);
        await using var b = await GatewayReplica.StartAsync(ocelotFile, _redis, bearer);

        using var missOnA = await a.Client.GetAsync("/c/items");
        using var hitOnB = await b.Client.GetAsync("/c/items");
        using var otherOnA = await a.Client.GetAsync("/other/items");
        Assert.Equal(("MISS", "HIT"), (missOnA.Header("X-Cache"), hitOnB.Header("X-Cache")));
        Assert.Equal(await missOnA.Content.ReadAsStringAsync(), await hitOnB.Content.ReadAsStringAsync());

        using var clear = new HttpRequestMessage(HttpMethod.Delete, "/administration/outputcache/catalog");
        clear.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.CreateToken(scope: "gateway.admin"));
        using var cleared = await a.Client.SendAsync(clear);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);

        using var afterClearOnB = await b.Client.GetAsync("/c/items");
        using var otherOnB = await b.Client.GetAsync("/other/items");
        Assert.Equal(("MISS", "HIT"), (afterClearOnB.Header("X-Cache"), otherOnB.Header("X-Cache")));
        Assert.Equal(3, _downstream.Requests);
    }
}
