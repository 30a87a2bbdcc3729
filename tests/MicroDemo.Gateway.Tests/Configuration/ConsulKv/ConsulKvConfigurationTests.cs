using System.Text.Json.Nodes;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Discovery;
using MicroDemo.Gateway.Health;
using MicroDemo.Gateway.Tests.Discovery;
using MicroDemo.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using static MicroDemo.Gateway.Tests.Configuration.ConfigurationTestData;

namespace MicroDemo.Gateway.Tests.Configuration.ConsulKv;

/// <summary>Two in-process replicas sharing the configuration in a real Consul agent's KV store.</summary>
public sealed class ConsulKvConfigurationTests : IAsyncLifetime
{
    private readonly ConsulAgent _consul = new();
    private readonly TempDirectory _directory = new();
    private readonly string _key = $"microdemo/gateway-{Guid.NewGuid():N}";
    private readonly List<Replica> _replicas = [];

    public Task InitializeAsync() => _consul.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _consul.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Two_replicas_starting_together_seed_the_empty_key_once_from_the_file()
    {
        var (a, b) = (CreateReplica(), CreateReplica());

        await Task.WhenAll(a.StartAsync(), b.StartAsync());

        var stored = JsonNode.Parse((await _consul.Client.GetKeyAsync(_key, 0, TimeSpan.Zero, CancellationToken.None)).Value!)!;
        Assert.Equal("/one", stored["Routes"]![0]!["UpstreamPathTemplate"]!.GetValue<string>());
        Assert.Equal(1, a.Seeds + b.Seeds);
        Assert.All(_replicas, r => Assert.Equal($"Consul KV key '{_key}'", r.Store.DocumentName));
    }

    [Fact]
    public async Task A_value_already_in_the_key_replaces_the_file_at_startup()
    {
        await PutAsync(Document($"{Route("/one")}, {Route("/from-kv")}", Global));
        var replica = CreateReplica();

        await replica.StartAsync();

        Assert.Equal(["/one", "/from-kv"], replica.Store.Current.Routes.Select(r => r.UpstreamPathTemplate));
        Assert.Equal(0, replica.Seeds);
    }

    [Fact]
    public async Task A_value_written_to_the_key_reaches_every_replica()
    {
        var (a, b) = await StartTwoAsync();

        await PutAsync(Document($"{Route("/one")}, {Route("/two")}", Global));

        await Eventually.TrueAsync(() => a.Store.Current.Routes.Count == 2 && b.Store.Current.Routes.Count == 2, "both replicas run the new value");
    }

    [Fact]
    public async Task Admin_replace_writes_the_key_not_the_file_and_the_other_replica_applies_it()
    {
        var (a, b) = await StartTwoAsync();
        var file = File.ReadAllText(a.Store.MainFile);

        var result = await a.Store.TryReplaceAsync(Document($"{Route("/one")}, {Route("/posted")}", Global), CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(2, a.Store.Current.Routes.Count);
        Assert.Contains("/posted", (await _consul.Client.GetKeyAsync(_key, 0, TimeSpan.Zero, CancellationToken.None)).Value);
        Assert.Equal(file, File.ReadAllText(a.Store.MainFile));
        await Eventually.TrueAsync(() => b.Store.Current.Routes.Count == 2, "replica B runs the posted configuration");
    }

    [Fact]
    public async Task An_invalid_value_is_refused_by_every_replica_with_the_key_and_reasons_until_a_valid_one_arrives()
    {
        var (a, b) = await StartTwoAsync();
        var running = (a.Store.Current, b.Store.Current);

        await PutAsync(Document($$"""{ "UpstreamPathTemplate": "no-slash", "DownstreamPathTemplate": "/b", {{Hosts}} }""", Global));

        await Eventually.TrueAsync(() => a.Store.Rejection is not null && b.Store.Rejection is not null, "both replicas refuse the value");
        Assert.Equal(running, (a.Store.Current, b.Store.Current));
        var health = await a.HealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains($"Consul KV key '{_key}'", health.Description);
        Assert.Contains(a.StoreLog.Entries, e => e.Level == LogLevel.Error
            && e.Message.Contains($"Consul KV key '{_key}' rejected", StringComparison.Ordinal)
            && e.Message.Contains("'no-slash' does not start with a forward slash", StringComparison.Ordinal));

        await PutAsync(Document($"{Route("/one")}, {Route("/fixed")}", Global));

        await Eventually.TrueAsync(() => a.Store.Current.Routes.Count == 2 && b.Store.Current.Routes.Count == 2, "both replicas run the valid value");
        Assert.Equal(HealthStatus.Healthy, (await b.HealthAsync()).Status);
    }

    [Fact]
    public async Task Consul_stopped_keeps_the_configuration_reports_Degraded_and_warns_once()
    {
        var (a, _) = await StartTwoAsync();
        var running = a.Store.Current;

        await _consul.StopAsync();

        await Eventually.TrueAsync(async () => (await a.HealthAsync()).Status == HealthStatus.Degraded, "the outage is reported");
        await Eventually.TrueAsync(() => a.FailuresSeen >= 3, "the watch retried a few times");
        Assert.Same(running, a.Store.Current);
        Assert.Single(a.KvLog.Entries, e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Admin_replace_while_Consul_is_stopped_is_refused_naming_the_key_and_applies_nothing()
    {
        var (a, _) = await StartTwoAsync();
        var running = a.Store.Current;
        await _consul.StopAsync();

        var result = await a.Store.TryReplaceAsync(Document($"{Route("/one")}, {Route("/posted")}", Global), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith($"Consul KV key '{_key}': (admin API): (root): cannot be written to Consul at http://127.0.0.1:{_consul.HttpPort}/", Assert.Single(result.Errors).ToString());
        Assert.Same(running, a.Store.Current);
    }

    private string Global => $$"""
        "ServiceDiscoveryProvider": { "Host": "127.0.0.1", "Port": {{_consul.HttpPort}}, "Type": "Consul", "ConfigurationKey": "{{_key}}" }
        """;

    private Replica CreateReplica()
    {
        var file = _directory.Write($"ocelot-{_replicas.Count}.json", Document(Route("/one"), Global));
        var replica = new Replica(file);
        _replicas.Add(replica);
        return replica;
    }

    private async Task<(Replica A, Replica B)> StartTwoAsync()
    {
        var (a, b) = (CreateReplica(), CreateReplica());
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        return (a, b);
    }

    private Task PutAsync(string json) => _consul.Client.PutKeyAsync(_key, json, checkAndSet: null, CancellationToken.None);

    private sealed class Replica : IAsyncDisposable
    {
        // Short retry delays keep the outage test quick; the behaviour is the same with the defaults.
        private static readonly DiscoveryTimings Timings = new() { MinRetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(300) };

        private readonly ConsulKvConfiguration _kv;

        public Replica(string file)
        {
            Store = new GatewayConfigurationStore(file, () => new HashSet<string>(), StoreLog);
            _kv = new ConsulKvConfiguration(Store, new ServiceDiscoveryOverrides(), Timings, TimeProvider.System, KvLog);
        }

        public CollectingLogger<GatewayConfigurationStore> StoreLog { get; } = new();

        public CollectingLogger<ConsulKvConfiguration> KvLog { get; } = new();

        public GatewayConfigurationStore Store { get; }

        public int Seeds => KvLog.Entries.Count(e => e.Message.Contains("was empty: seeded it", StringComparison.Ordinal));

        public int FailuresSeen => KvLog.Entries.Count(e => e.Level == LogLevel.Debug);

        public Task StartAsync() => _kv.StartAsync(CancellationToken.None);

        public Task<HealthCheckResult> HealthAsync() => new ConfigurationHealthCheck(Store, _kv).CheckHealthAsync(new HealthCheckContext());

        public async ValueTask DisposeAsync()
        {
            await _kv.DisposeAsync();
            Store.Dispose();
        }
    }
}
