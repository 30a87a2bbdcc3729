using MicroDemo.Gateway.Discovery;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicroDemo.Gateway.Tests.Discovery;

/// <summary>Consul going away and coming back; each test stops and restarts its own agent.</summary>
public sealed class ConsulOutageTests : IAsyncLifetime
{
    private const int UnreachableEvent = 3001;
    private const int ReachableEvent = 3002;
    private const string Name = "users";

    private readonly ConsulAgent _consul = new();
    private readonly CollectingLogger<ConsulServiceDiscovery> _logger = new();
    private ConsulServiceDiscovery _discovery = null!;

    public async Task InitializeAsync()
    {
        await _consul.InitializeAsync();
        // Short retry delays keep the test quick; the behaviour is the same with the defaults.
        _discovery = new ConsulServiceDiscovery(
            new DiscoveryTimings { MinRetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(500) },
            TimeProvider.System,
            _logger);
        await RegisterAsync(7001);
        _discovery.Configure(new ServiceDiscoveryOptions { Host = "127.0.0.1", Port = _consul.HttpPort }, [Name]);
        Assert.Single(await _discovery.GetInstancesAsync(Name, CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        await _discovery.DisposeAsync();
        await _consul.DisposeAsync();
    }

    [Fact]
    public async Task Consul_stopped_keeps_the_last_known_instances_reports_degraded_and_warns_once()
    {
        await _consul.StopAsync();

        await Eventually.TrueAsync(
            () => Task.FromResult(_discovery.GetStatus().Services.Single().ConsecutiveFailures >= 3),
            "the watcher failed a few times");
        Assert.Equal(7001, Assert.Single(_discovery.GetInstances(Name)).Port);
        var health = await new DiscoveryHealthCheck(_discovery).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("unreachable", health.Description);
        var service = Assert.Single((IReadOnlyList<ServiceDiscoveryStatus>)health.Data["services"]);
        Assert.Equal((Name, 1, "Degraded"), (service.ServiceName, service.InstanceCount, service.State));
        Assert.Equal(1, _logger.Count(UnreachableEvent));
    }

    [Fact]
    public async Task Consul_restarted_recovers_with_the_new_agent_state()
    {
        await _consul.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(_discovery.GetStatus().UnreachableSince is not null), "the outage is noticed");

        await _consul.StartAsync();
        await RegisterAsync(7002); // a dev agent forgets everything; services re-register

        await Eventually.TrueAsync(() => Task.FromResult(_discovery.GetInstances(Name) is [{ Port: 7002 }]), "the restarted agent's instances are used");
        var health = await new DiscoveryHealthCheck(_discovery).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal((1, 1), (_logger.Count(UnreachableEvent), _logger.Count(ReachableEvent)));
    }

    private Task RegisterAsync(int port) =>
        _consul.Client.RegisterAsync(
            new ConsulServiceRegistration { ID = $"{Name}-{port}", Name = Name, Address = "127.0.0.1", Port = port },
            CancellationToken.None);
}
