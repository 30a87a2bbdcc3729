using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Consul;

/// <summary>The shared Consul client against a real agent: the calls every service and the gateway rely on.</summary>
public sealed class ConsulClientTests(ConsulAgent consul) : IClassFixture<ConsulAgent>
{
    [Fact]
    public async Task Registered_instance_with_a_passing_check_is_listed_with_its_own_address()
    {
        var name = $"svc-{Guid.NewGuid():N}";
        await consul.Client.RegisterAsync(new ConsulServiceRegistration
        {
            ID = $"{name}-127.0.0.2-9",
            Name = name,
            Address = "127.0.0.2",
            Port = 9,
            Tags = ["version-1"],
        }, CancellationToken.None);

        var result = await consul.Client.GetHealthyInstancesAsync(name, 0, TimeSpan.Zero, CancellationToken.None);

        var instance = Assert.Single(result.Value);
        Assert.Equal(("127.0.0.2", 9, $"{name}-127.0.0.2-9"), (instance.Address, instance.Port, instance.Id));
        Assert.Contains("version-1", instance.Tags);
        Assert.True(result.Index > 0);
    }

    [Fact]
    public async Task Blocking_query_returns_when_an_instance_is_deregistered()
    {
        var name = $"svc-{Guid.NewGuid():N}";
        await consul.Client.RegisterAsync(new ConsulServiceRegistration { ID = $"{name}-1", Name = name, Address = "127.0.0.1", Port = 1 }, CancellationToken.None);
        var first = await consul.Client.GetHealthyInstancesAsync(name, 0, TimeSpan.Zero, CancellationToken.None);
        Assert.Single(first.Value);

        var blocked = consul.Client.GetHealthyInstancesAsync(name, first.Index, TimeSpan.FromSeconds(20), CancellationToken.None);
        await consul.Client.DeregisterAsync($"{name}-1", CancellationToken.None);
        var next = await blocked.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Empty(next.Value);
        Assert.True(next.Index > first.Index);
    }

    [Fact]
    public async Task An_instance_whose_check_fails_is_not_listed()
    {
        var name = $"svc-{Guid.NewGuid():N}";
        await consul.Client.RegisterAsync(new ConsulServiceRegistration
        {
            ID = $"{name}-1",
            Name = name,
            Address = "127.0.0.1",
            Port = FreePorts.Next(),
            Check = new ConsulHttpCheck { HTTP = $"http://127.0.0.1:{FreePorts.Next()}/health/ready", Interval = "1s" },
        }, CancellationToken.None);

        var names = await consul.Client.GetServiceNamesAsync(0, TimeSpan.Zero, CancellationToken.None);
        var healthy = await consul.Client.GetHealthyInstancesAsync(name, 0, TimeSpan.Zero, CancellationToken.None);

        Assert.Contains(name, names.Value);
        Assert.Empty(healthy.Value);
    }

    [Fact]
    public async Task Key_written_with_cas_0_is_written_only_once()
    {
        var key = $"test/{Guid.NewGuid():N}";

        var first = await consul.Client.PutKeyAsync(key, "first", checkAndSet: 0, CancellationToken.None);
        var second = await consul.Client.PutKeyAsync(key, "second", checkAndSet: 0, CancellationToken.None);

        Assert.Equal((true, false), (first, second));
        Assert.Equal("first", (await consul.Client.GetKeyAsync(key, 0, TimeSpan.Zero, CancellationToken.None)).Value);
    }

    [Fact]
    public async Task Blocking_query_on_a_missing_key_returns_when_it_is_written()
    {
        var key = $"test/{Guid.NewGuid():N}";
        var missing = await consul.Client.GetKeyAsync(key, 0, TimeSpan.Zero, CancellationToken.None);
        Assert.Null(missing.Value);

        var blocked = consul.Client.GetKeyAsync(key, missing.Index, TimeSpan.FromSeconds(20), CancellationToken.None);
        await consul.Client.PutKeyAsync(key, "{ \"Routes\": [] }", checkAndSet: null, CancellationToken.None);
        var next = await blocked.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("{ \"Routes\": [] }", next.Value);
        Assert.True(next.Index > missing.Index);
    }
}
