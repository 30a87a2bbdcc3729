using System.Net.Http.Json;
using System.Text.Json;
using MicroDemo.Gateway.Tests.Policies;
using static MicroDemo.Gateway.Tests.Policies.OcelotJson;

namespace MicroDemo.Gateway.Tests.Distributed;

/// <summary>Without <c>Gateway:Redis:Configuration</c> a gateway is what it always was: state in memory, no <c>redis</c> check.</summary>
public sealed class WithoutRedisTests : IAsyncLifetime
{
    private Downstream _downstream = null!;

    public async Task InitializeAsync() => _downstream = await Downstream.StartAsync();

    public async Task DisposeAsync() => await _downstream.DisposeAsync();

    [Fact]
    public async Task Health_has_no_redis_check_and_limits_and_cache_work_in_memory()
    {
        await using var gateway = GatewayHost.Start(Document(
            Route("/rl", _downstream.Port, new { RateLimitOptions = new { Limit = 1, Period = "1h" } }),
            Route("/c", _downstream.Port, new { CacheOptions = new { TtlSeconds = 60 } })));

        using var health = await gateway.Client.GetAsync("/health/ready");
        var checks = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        using var allowed = await gateway.Client.GetAsync("/rl/items", ("Oc-Client", "alice"));
        using var blocked = await gateway.Client.GetAsync("/rl/items", ("Oc-Client", "alice"));
        using var miss = await gateway.Client.GetAsync("/c/items");
        using var hit = await gateway.Client.GetAsync("/c/items");

        Assert.False(checks.TryGetProperty("redis", out _));
        Assert.Equal((200, 429), ((int)allowed.StatusCode, (int)blocked.StatusCode));
        Assert.Equal(("MISS", "HIT"), (miss.Header("X-Cache"), hit.Header("X-Cache")));
    }
}
