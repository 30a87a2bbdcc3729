using System.Diagnostics;
using MicroDemo.Gateway.Discovery;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MicroDemo.Gateway.Tests.Discovery;

/// <summary>Discovery against a real Consul dev agent (shared by the tests of this class; every test uses its own service names).</summary>
public sealed class ConsulServiceDiscoveryTests(ConsulAgent consul, ITestOutputHelper output) : IClassFixture<ConsulAgent>, IAsyncLifetime
{
    private readonly CollectingLogger<ConsulServiceDiscovery> _logger = new();
    private readonly List<IAsyncDisposable> _cleanup = [];

    private ServiceDiscoveryOptions Options => new() { Host = "127.0.0.1", Port = consul.HttpPort };

    private static string NewName() => $"svc-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_new_instance_takes_traffic_within_two_seconds()
    {
        var name = NewName();
        var discovery = Create();
        discovery.Configure(Options, [name]);
        Assert.Empty(await discovery.GetInstancesAsync(name, CancellationToken.None));

        await RegisterAsync(name, port: 7001);
        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetInstances(name).Count == 1), "the new instance is visible");
        clock.Stop();

        output.WriteLine($"New instance visible after {clock.ElapsedMilliseconds} ms.");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.ElapsedMilliseconds} ms");
        var instance = Assert.Single(discovery.GetInstances(name));
        Assert.Equal(("127.0.0.1", 7001), (instance.Address, instance.Port));
    }

    [Fact]
    public async Task A_deregistered_instance_leaves()
    {
        var name = NewName();
        await RegisterAsync(name, port: 7001);
        await RegisterAsync(name, port: 7002);
        var discovery = Create();
        discovery.Configure(Options, [name]);
        Assert.Equal(2, (await discovery.GetInstancesAsync(name, CancellationToken.None)).Count);

        await consul.Client.DeregisterAsync($"{name}-7001", CancellationToken.None);

        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetInstances(name) is [{ Port: 7002 }]), "only 7002 is left");
    }

    [Fact]
    public async Task An_instance_leaves_when_its_health_check_turns_critical_and_returns_when_it_passes()
    {
        var name = NewName();
        var app = await HealthEndpoint.StartAsync();
        _cleanup.Add(app);
        var discovery = Create();
        discovery.Configure(Options, [name]);

        await RegisterAsync(name, app.Port, new ConsulHttpCheck { HTTP = app.HealthUrl, Interval = "1s", Timeout = "1s" });
        await RegisterAsync(name, FreePorts.Next(), new ConsulHttpCheck { HTTP = $"http://127.0.0.1:{FreePorts.Next()}/health", Interval = "1s", Timeout = "1s" });
        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetInstances(name).Count == 1), "the instance whose check passes is visible");
        Assert.Equal(app.Port, discovery.GetInstances(name)[0].Port); // the one whose check port has no listener stays out

        app.Healthy = false;
        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetInstances(name).Count == 0), "the failing instance leaves");

        app.Healthy = true;
        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetInstances(name).Count == 1), "the recovered instance returns");
    }

    [Fact]
    public async Task A_name_first_seen_in_a_request_waits_for_Consul_then_follows_changes()
    {
        var registered = NewName();
        var later = NewName();
        await RegisterAsync(registered, port: 7001);
        var discovery = Create();
        discovery.Configure(Options, []);

        var first = await discovery.GetInstancesAsync(registered, CancellationToken.None);
        Assert.Equal(7001, Assert.Single(first).Port);

        Assert.Empty(await discovery.GetInstancesAsync(later, CancellationToken.None));
        await RegisterAsync(later, port: 7002);
        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetInstances(later).Count == 1), "the lazily watched service sees its new instance");
    }

    [Fact]
    public async Task PollConsul_finds_new_instances_by_polling()
    {
        var name = NewName();
        var discovery = Create();
        discovery.Configure(Options with { Type = "PollConsul", PollingInterval = 200 }, [name]);
        Assert.Empty(await discovery.GetInstancesAsync(name, CancellationToken.None));

        await RegisterAsync(name, port: 7001);

        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetInstances(name).Count == 1), "the polled service sees its new instance", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Configured_names_are_watched_before_any_request_and_shown_in_the_health_check()
    {
        var name = NewName();
        await RegisterAsync(name, port: 7001);
        var discovery = Create();

        discovery.Configure(Options, [name]);

        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetStatus().Services.Any(s => s.ServiceName == name && s.LastRefresh is not null)), "the configured service was queried");
        var result = await new DiscoveryHealthCheck(discovery).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(consul.Url.ToString(), result.Data["consul"]);
        var service = Assert.Single((IReadOnlyList<ServiceDiscoveryStatus>)result.Data["services"]);
        Assert.Equal((name, 1, "Healthy"), (service.ServiceName, service.InstanceCount, service.State));
    }

    [Fact]
    public async Task Watchers_for_names_neither_configured_nor_requested_stop_after_the_idle_timeout()
    {
        var configured = NewName();
        var requested = NewName();
        var dropped = NewName();
        var time = new ManualTimeProvider();
        var discovery = Create(time);
        discovery.Configure(Options, [configured, dropped]);
        discovery.GetInstances(requested);
        discovery.Configure(Options, [configured]);

        time.Advance(TimeSpan.FromMinutes(9));
        discovery.StopIdleWatchers();
        Assert.Equal(3, discovery.GetStatus().Services.Count);

        time.Advance(TimeSpan.FromMinutes(2));
        discovery.StopIdleWatchers();

        Assert.Equal([configured], discovery.GetStatus().Services.Select(s => s.ServiceName));
    }

    [Fact]
    public async Task A_configuration_that_moves_Consul_switches_the_watchers_to_the_new_address()
    {
        var name = NewName();
        await RegisterAsync(name, port: 7001);
        var discovery = Create();
        discovery.Configure(Options with { Port = FreePorts.Next() }, [name]); // nothing listens there
        Assert.Empty(await discovery.GetInstancesAsync(name, CancellationToken.None));
        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetStatus().UnreachableSince is not null), "the wrong address is reported unreachable");

        discovery.Configure(Options, [name]);

        await Eventually.TrueAsync(() => Task.FromResult(discovery.GetInstances(name).Count == 1), "the watcher uses the new address");
        Assert.True(discovery.GetStatus().IsHealthy);
    }

    [Fact]
    public async Task AddGatewayDiscovery_registers_the_discovery_health_check()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddLogging().AddGatewayDiscovery(configuration).AddGatewayDiscovery(configuration);
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries[DiscoveryHealthCheck.Name].Status);
        Assert.Same(provider.GetRequiredService<IServiceDiscovery>(), provider.GetRequiredService<ConsulServiceDiscovery>());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in _cleanup)
        {
            await disposable.DisposeAsync();
        }
    }

    private ConsulServiceDiscovery Create(TimeProvider? time = null)
    {
        var discovery = new ConsulServiceDiscovery(new DiscoveryTimings(), time ?? TimeProvider.System, _logger);
        _cleanup.Insert(0, discovery);
        return discovery;
    }

    private Task RegisterAsync(string name, int port, ConsulHttpCheck? check = null) =>
        consul.Client.RegisterAsync(
            new ConsulServiceRegistration { ID = $"{name}-{port}", Name = name, Address = "127.0.0.1", Port = port, Check = check },
            CancellationToken.None);
}
