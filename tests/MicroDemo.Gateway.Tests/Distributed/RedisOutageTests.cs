using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using MicroDemo.Gateway.Tests.Policies;
using MicroDemo.Testing;
using Xunit.Abstractions;
using static MicroDemo.Gateway.Tests.Policies.OcelotJson;

namespace MicroDemo.Gateway.Tests.Distributed;

/// <summary>A gateway whose Redis goes away and comes back keeps answering, and says so on <c>/health/ready</c> and in one log line.</summary>
public sealed partial class RedisOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Enough for the outage and the recovery to happen under traffic, and a bound should recovery never come.
    private const int MaxRequests = 10_000;

    private readonly RedisServer _redis = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("microdemo-redis-outage-");
    private Downstream _downstream = null!;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _downstream = await Downstream.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _downstream.DisposeAsync();
        await _redis.StopAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Redis_stopped_and_started_again_under_traffic_costs_no_error_and_the_gateway_shares_state_again()
    {
        var ocelotFile = await WriteOcelotFileAsync();
        await using var gateway = await GatewayReplica.StartAsync(ocelotFile, _redis);

        var statuses = new ConcurrentBag<HttpStatusCode>();
        using var traffic = new CancellationTokenSource();
        var sent = 0;
        var clients = Enumerable.Range(0, 2).Select(async _ =>
        {
            while (!traffic.IsCancellationRequested && Interlocked.Increment(ref sent) <= MaxRequests)
            {
                using var limited = await gateway.Client.GetAsync("/rl/items", ("Oc-Client", "alice"));
                using var cached = await gateway.Client.GetAsync("/c/items");
                statuses.Add(limited.StatusCode);
                statuses.Add(cached.StatusCode);
            }
        }).ToList();

        await Eventually.TrueAsync(() => statuses.Count >= 20, "traffic flows through Redis");
        await _redis.StopAsync();
        await gateway.WaitForRedisAsync("Degraded");
        var duringOutage = statuses.Count;
        await Eventually.TrueAsync(() => statuses.Count >= duringOutage + 20, "traffic flows without Redis");
        await _redis.StartAsync();
        await gateway.WaitForRedisAsync("Healthy");
        var afterOutage = statuses.Count;
        await Eventually.TrueAsync(() => statuses.Count >= afterOutage + 20, "traffic flows through Redis again");
        await traffic.CancelAsync();
        await Task.WhenAll(clients);

        output.WriteLine($"{statuses.Count} responses: {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Count()}× {(int)g.Key}"))}; " +
                         $"{afterOutage - duringOutage} of them while Redis was down");
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        // The restarted Redis is empty: a counter that starts over shows this request was counted there, not in memory.
        using var counted = await gateway.Client.GetAsync("/rl/items", ("Oc-Client", "carol"));
        Assert.Equal("999999", counted.Header("X-RateLimit-Remaining"));
        AssertOneWarning(gateway);
    }

    [Fact]
    public async Task A_gateway_started_while_Redis_is_down_serves_with_its_own_state_and_shares_once_Redis_answers()
    {
        await _redis.StopAsync();
        await using var gateway = await GatewayReplica.StartAsync(await WriteOcelotFileAsync(), _redis, "Degraded");

        using var limited = await gateway.Client.GetAsync("/rl/items", ("Oc-Client", "alice"));
        using var cached = await gateway.Client.GetAsync("/c/items");
        using var hit = await gateway.Client.GetAsync("/c/items");
        Assert.Equal((HttpStatusCode.OK, "999999"), (limited.StatusCode, limited.Header("X-RateLimit-Remaining")));
        Assert.Equal(("MISS", "HIT"), (cached.Header("X-Cache"), hit.Header("X-Cache")));

        await _redis.StartAsync();
        await gateway.WaitForRedisAsync("Healthy");
        using var counted = await gateway.Client.GetAsync("/rl/items", ("Oc-Client", "alice"));
        using var missInRedis = await gateway.Client.GetAsync("/c/items");
        Assert.Equal(("999999", "MISS"), (counted.Header("X-RateLimit-Remaining"), missInRedis.Header("X-Cache")));
        AssertOneWarning(gateway);
    }

    private static void AssertOneWarning(GatewayReplica gateway)
    {
        var output = gateway.Process.Output;
        Assert.True(UnavailableWarning().Count(output) == 1,
            "one warning per outage, not: " + string.Join("\n", output.Split('\n').Where(line => line.Contains("Distributed."))));
    }

    private async Task<string> WriteOcelotFileAsync()
    {
        var ocelotFile = Path.Combine(_folder.FullName, "ocelot.json");
        await File.WriteAllTextAsync(ocelotFile, Document(
            Route("/rl", _downstream.Port, new { RateLimitOptions = new { Limit = 1_000_000, Period = "1h" } }),
            Route("/c", _downstream.Port, new { CacheOptions = new { TtlSeconds = 60 } })));
        return ocelotFile;
    }

    // SharedState's warning (RedisLog event 7001), as the console logger prints it.
    [GeneratedRegex(@"warn: MicroDemo\.Gateway\.Distributed\.SharedState\[7001\]")]
    private static partial Regex UnavailableWarning();
}
