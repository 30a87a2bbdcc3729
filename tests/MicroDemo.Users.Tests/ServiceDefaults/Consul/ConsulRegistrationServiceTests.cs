using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Testing;

namespace MicroDemo.Users.Tests.ServiceDefaults.Consul;

/// <summary>Registration against a real Consul dev agent.</summary>
public sealed class ConsulRegistrationServiceTests : IAsyncLifetime
{
    private readonly ConsulAgent _consul = new();

    public Task InitializeAsync() => _consul.InitializeAsync();

    public Task DisposeAsync() => _consul.DisposeAsync();

    [Fact]
    public async Task Registers_a_passing_instance_whose_id_is_the_served_by_header()
    {
        await using var service = await TestService.StartAsync(_consul.Url, "svc-a");

        var instances = await Eventually.MatchAsync(
            () => HealthyAsync("svc-a"), found => found.Count == 1, "svc-a passes its readiness check in Consul");
        var response = await service.Client.GetAsync("/hello");

        var instance = instances[0];
        Assert.Equal($"svc-a-127.0.0.1-{service.Port}", instance.Id);
        Assert.Equal(("127.0.0.1", service.Port), (instance.Address, instance.Port));
        Assert.Contains("version-2.0.0", instance.Tags);
        Assert.Equal(instance.Id, Assert.Single(response.Headers.GetValues("X-Served-By")));
    }

    [Fact]
    public async Task Graceful_stop_deregisters()
    {
        await using var service = await TestService.StartAsync(_consul.Url, "svc-b");
        var id = $"svc-b-127.0.0.1-{service.Port}";
        await Eventually.TrueAsync(() => _consul.Client.IsServiceRegisteredAsync(id, CancellationToken.None), $"{id} is registered");

        await service.StopAsync();

        // Deregistration is part of the stop, so no waiting here.
        Assert.False(await _consul.Client.IsServiceRegisteredAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task A_service_started_before_Consul_registers_once_Consul_is_up()
    {
        await using var late = new ConsulAgent();
        await using var service = await TestService.StartAsync(late.Url, "svc-c");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await service.Client.GetAsync("/health/live")).StatusCode);

        // Consul stays away for a while: several registration attempts fail meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await late.InitializeAsync();

        var id = $"svc-c-127.0.0.1-{service.Port}";
        await Eventually.TrueAsync(() => late.Client.IsServiceRegisteredAsync(id, CancellationToken.None), $"{id} registers in the late agent");
        await Eventually.TrueAsync(() => Task.FromResult(service.RegistrationLog.Any(line => line.StartsWith("Registered", StringComparison.Ordinal))), "the registration is logged");
        // One line per state change, not one per failed attempt.
        Assert.Collection(
            service.RegistrationLog,
            line => Assert.StartsWith("Cannot reach or register with Consul", line),
            line => Assert.StartsWith($"Registered {id} in Consul", line));
    }

    [Fact]
    public async Task Registers_again_after_Consul_restarted_and_forgot_it()
    {
        await using var service = await TestService.StartAsync(_consul.Url, "svc-d");
        var id = $"svc-d-127.0.0.1-{service.Port}";
        await Eventually.TrueAsync(() => _consul.Client.IsServiceRegisteredAsync(id, CancellationToken.None), $"{id} is registered");

        await _consul.StopAsync();
        await _consul.StartAsync();
        Assert.False(await _consul.Client.IsServiceRegisteredAsync(id, CancellationToken.None));

        await Eventually.TrueAsync(() => _consul.Client.IsServiceRegisteredAsync(id, CancellationToken.None), $"{id} registers again after the restart");
        await Eventually.TrueAsync(
            () => Task.FromResult(service.RegistrationLog.Count(line => line.StartsWith($"Registered {id}", StringComparison.Ordinal)) == 2),
            "the second registration is logged");
        Assert.Contains(service.RegistrationLog, line => line.Contains($"no longer knows {id}", StringComparison.Ordinal));
    }

    private async Task<IReadOnlyList<ServiceInstance>> HealthyAsync(string name) =>
        (await _consul.Client.GetHealthyInstancesAsync(name, 0, TimeSpan.Zero, CancellationToken.None)).Value;
}
