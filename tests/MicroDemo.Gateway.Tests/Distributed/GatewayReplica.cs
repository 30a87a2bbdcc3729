using System.Net.Http.Json;
using System.Text.Json;
using MicroDemo.Gateway.Tests.Pipeline;
using MicroDemo.Gateway.Tests.Policies;
using MicroDemo.Testing;

namespace MicroDemo.Gateway.Tests.Distributed;

/// <summary>
/// One replica of the gateway: the built executable (<see cref="GatewayProcess"/>) on its own port, reading a shared
/// ocelot.json and sharing state through <c>Gateway:Redis:Configuration</c>. Killed on dispose.
/// </summary>
internal sealed class GatewayReplica : IAsyncDisposable
{
    /// <summary>The host name clients use, the same on every replica, as an edge proxy in front of them forwards it.</summary>
    public const string PublicHost = "gateway.microdemo.test";

    private GatewayReplica(GatewayProcess process, Uri address)
    {
        Process = process;
        Client = GatewayHost.NewClient(address);
        // The cache key holds the URL as received (Ocelot's), host included: replicas share entries for one host name.
        Client.DefaultRequestHeaders.Host = PublicHost;
    }

    public GatewayProcess Process { get; }

    public HttpClient Client { get; }

    /// <summary>Starts a replica and waits until its <c>redis</c> health check is Healthy, i.e. it shares state.</summary>
    public static Task<GatewayReplica> StartAsync(string ocelotFile, RedisServer redis, params string[] settings) =>
        StartAsync(ocelotFile, redis, "Healthy", settings);

    /// <summary>Starts a replica and waits until its <c>redis</c> health check is <paramref name="redisStatus"/>.</summary>
    public static async Task<GatewayReplica> StartAsync(string ocelotFile, RedisServer redis, string redisStatus, params string[] settings)
    {
        var port = FreePorts.Next();
        var process = GatewayProcess.Start(
            ["--ocelot", ocelotFile, "--urls", $"http://127.0.0.1:{port}", "--Gateway:Redis:Configuration", redis.Configuration, .. settings]);
        var replica = new GatewayReplica(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await replica.WaitForRedisAsync(redisStatus);
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until <c>/health/ready</c> reports the <c>redis</c> check in <paramref name="status"/>.</summary>
    public Task WaitForRedisAsync(string status) =>
        Eventually.TrueAsync(
            async () =>
            {
                Assert.False(Process.HasExited, Process.Output);
                return await RedisHealthAsync() == status;
            },
            $"the gateway's redis check is {status}");

    public async Task<string?> RedisHealthAsync()
    {
        using var response = await Client.GetAsync("/health/ready");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        return health.GetProperty("checks").TryGetProperty("redis", out var redis) ? redis.GetProperty("status").GetString() : null;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }
}
