using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Services;

/// <summary>A real service process and a real Consul agent: the registration lifecycle every service shares.</summary>
public sealed class ConsulRegistrationTests : IDisposable
{
    // Registration retries back off up to 10s and the watch runs every 5s; Consul's check runs every 5s.
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Started_instance_becomes_passing_under_its_service_name()
    {
        await using var consul = new ConsulAgent();
        await consul.InitializeAsync();
        await using var users = StartUsers(consul);

        await users.WaitUntilPassingAsync(consul.Client, "users");

        var instance = Assert.Single((await consul.Client.GetHealthyInstancesAsync("users", 0, TimeSpan.Zero, CancellationToken.None)).Value);
        Assert.Equal(("127.0.0.1", users.Port, $"users-127.0.0.1-{users.Port}"), (instance.Address, instance.Port, instance.Id));
    }

    [Fact]
    public async Task Graceful_stop_deregisters_the_instance_before_the_process_exits()
    {
        await using var consul = new ConsulAgent();
        await consul.InitializeAsync();
        await using var users = StartUsers(consul);
        await users.WaitUntilPassingAsync(consul.Client, "users");

        var exitCode = await users.StopAsync();

        Assert.Equal(0, exitCode);
        Assert.False(await consul.Client.IsServiceRegisteredAsync($"users-127.0.0.1-{users.Port}", CancellationToken.None), users.Output);
    }

    [Fact]
    public async Task Service_started_before_Consul_registers_once_Consul_is_up()
    {
        await using var consul = new ConsulAgent();
        await using var users = StartUsers(consul);
        using var http = new HttpClient { BaseAddress = users.Url };
        await users.WaitUntilAsync(async () => (await http.GetAsync("health/live")).IsSuccessStatusCode, "users answers /health/live without Consul");

        await consul.InitializeAsync();

        await users.WaitUntilPassingAsync(consul.Client, "users", Recovery);
    }

    [Fact]
    public async Task Restarted_Consul_agent_gets_the_instance_registered_again()
    {
        await using var consul = new ConsulAgent();
        await consul.InitializeAsync();
        await using var users = StartUsers(consul);
        await users.WaitUntilPassingAsync(consul.Client, "users");

        // A dev agent forgets everything when it stops.
        await consul.StopAsync();
        await consul.StartAsync();

        await users.WaitUntilPassingAsync(consul.Client, "users", Recovery);
    }

    public void Dispose() => _data.Dispose();

    private AppProcess StartUsers(ConsulAgent consul) =>
        AppProcess.Start(MicroDemoApps.Users, ServiceSettings.For("users", consul.Url, _data.File($"users-{Guid.NewGuid():N}.db")));
}
