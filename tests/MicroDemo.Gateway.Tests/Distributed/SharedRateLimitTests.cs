using System.Net;
using MicroDemo.Gateway.Tests.Policies;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Policies.OcelotJson;

namespace MicroDemo.Gateway.Tests.Distributed;

/// <summary>Two gateway processes sharing one real Redis count every client's requests together.</summary>
public sealed class SharedRateLimitTests : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisServer _redis;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("microdemo-shared-ratelimit-");
    private readonly List<GatewayReplica> _replicas = [];
    private Downstream _downstream = null!;

    public SharedRateLimitTests(RedisServer redis) => _redis = redis;

    public async Task InitializeAsync() => _downstream = await Downstream.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _downstream.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Fifty_parallel_requests_spread_over_two_replicas_against_a_limit_of_10_give_exactly_10_successes()
    {
        var (a, b) = await StartTwoReplicasAsync(new { Limit = 10, Period = "1h" });

        var statuses = await Requests.BurstAsync(50, i => (i % 2 == 0 ? a : b).Client.GetAsync("/rl/items", ("Oc-Client", "alice")));

        Assert.Equal(10, statuses.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(40, statuses.Count(status => status == HttpStatusCode.TooManyRequests));
        Assert.Equal(10, _downstream.Requests);
    }

    [Fact]
    public async Task A_client_blocked_on_one_replica_is_blocked_on_the_other_with_Retry_After_until_the_window_ends()
    {
        var (a, b) = await StartTwoReplicasAsync(new { Limit = 2, Period = "2s" });
        (string, string) bob = ("Oc-Client", "bob-" + Guid.NewGuid());

        using var first = await a.Client.GetAsync("/rl/items", bob);
        using var second = await b.Client.GetAsync("/rl/items", bob);
        using var blocked = await a.Client.GetAsync("/rl/items", bob);
        using var blockedToo = await b.Client.GetAsync("/rl/items", bob);

        Assert.Equal((HttpStatusCode.OK, "1"), (first.StatusCode, first.Header("X-RateLimit-Remaining")));
        Assert.Equal((HttpStatusCode.OK, "0"), (second.StatusCode, second.Header("X-RateLimit-Remaining")));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, blockedToo.StatusCode);
        Assert.InRange(int.Parse(blockedToo.Header("Retry-After")!), 1, 2);
        using var nextWindow = await Eventually.MatchAsync(() => b.Client.GetAsync("/rl/items", bob),
            response => response.StatusCode == HttpStatusCode.OK, "the next window opens", TimeSpan.FromSeconds(5));
        Assert.Equal("1", nextWindow.Header("X-RateLimit-Remaining"));
    }

    /// <summary>Two replicas (stopped with the test) of a gateway with one route, <c>/rl</c>, limited by <paramref name="rateLimitOptions"/>.</summary>
    private async Task<(GatewayReplica A, GatewayReplica B)> StartTwoReplicasAsync(object rateLimitOptions)
    {
        var ocelotFile = Path.Combine(_folder.FullName, "ocelot.json");
        await File.WriteAllTextAsync(ocelotFile, Document(Route("/rl", _downstream.Port, new { RateLimitOptions = rateLimitOptions })));
        _replicas.Add(await GatewayReplica.StartAsync(ocelotFile, _redis));
        _replicas.Add(await GatewayReplica.StartAsync(ocelotFile, _redis));
        return (_replicas[0], _replicas[1]);
    }
}
