using System.Text.Json;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>The output cache of a freshly started gateway process, whose first store is still cold.</summary>
public sealed class CacheThroughGatewayProcessTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("microdemo-gateway-cache-");
    private Policies.Downstream _downstream = null!;

    public async Task InitializeAsync() => _downstream = await Policies.Downstream.StartAsync();

    public async Task DisposeAsync()
    {
        await _downstream.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Two_GETs_back_to_back_on_one_keep_alive_connection_call_the_downstream_once_and_the_second_is_a_hit()
    {
        var file = Path.Combine(_folder.FullName, "ocelot.json");
        File.WriteAllText(file, JsonSerializer.Serialize(OcelotJson([Route("/c/{everything}", "/{everything}", _downstream.Port, new { CacheOptions = new { TtlSeconds = 60 } })])));
        var port = FreePorts.Next();
        await using var gateway = GatewayProcess.Start("--ocelot", file, "--urls", $"http://127.0.0.1:{port}");
        using var oneConnection = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.TrueAsync(
            async () => !gateway.HasExited && (await oneConnection.GetAsync("/health/live")).IsSuccessStatusCode,
            "the gateway process answers");

        using var first = await oneConnection.GetAsync("/c/items");
        var body = await first.Content.ReadAsStringAsync();
        using var repeat = await oneConnection.GetAsync("/c/items");

        Assert.Equal(("MISS", "HIT"), (Header(first, "X-Cache"), Header(repeat, "X-Cache")));
        Assert.Equal(body, await repeat.Content.ReadAsStringAsync());
        Assert.Equal(1, _downstream.Requests);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
