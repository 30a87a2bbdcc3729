using System.Text.Json;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Launcher;

/// <summary>
/// A ./demo stack with MICRODEMO_GATEWAY_REPLICAS=2 on free ports: two gateways behind the nginx edge. Started once
/// per test class (as an xunit class fixture) and stopped with ./demo down even when a test failed.
/// </summary>
public sealed class EdgeStack : IAsyncLifetime
{
    private readonly TempDirectory _run = new();
    private readonly DemoScript _demo;

    public EdgeStack()
    {
        var environment = IsolatedStack.Environment(_run.Path);
        environment["MICRODEMO_GATEWAY_REPLICAS"] = "2";
        environment["MICRODEMO_REDIS_PORT"] = IsolatedStack.Port();
        environment["MICRODEMO_GATEWAY_REPLICA_PORTS"] = $"{IsolatedStack.Port()},{IsolatedStack.Port()}";
        _demo = new DemoScript(environment, _run.Path);
        Edge = new Uri($"http://127.0.0.1:{environment["MICRODEMO_GATEWAY_PORT"]}/");
        Consul = new Uri($"http://127.0.0.1:{environment["MICRODEMO_CONSUL_PORT"]}/");
        ReplicaPorts = environment["MICRODEMO_GATEWAY_REPLICA_PORTS"].Split(',').Select(int.Parse).ToArray();
    }

    /// <summary>The public address: the edge.</summary>
    public Uri Edge { get; }

    public Uri Consul { get; }

    public IReadOnlyList<int> ReplicaPorts { get; }

    /// <summary>What `./demo up -d` printed.</summary>
    public CommandResult Up { get; private set; } = null!;

    public int Pid(string process) => _demo.StartedPids()[process];

    /// <summary>The IDs of the gateway instances passing in Consul.</summary>
    public async Task<string[]> PassingGatewayIdsAsync()
    {
        using var http = new HttpClient { BaseAddress = Consul };
        using var gateways = JsonDocument.Parse(await http.GetStringAsync("v1/health/service/gateway?passing=true"));
        return gateways.RootElement.EnumerateArray().Select(entry => entry.GetProperty("Service").GetProperty("ID").GetString()!).Order().ToArray();
    }

    public async Task InitializeAsync()
    {
        Up = await _demo.RunAsync("up", "-d");
        if (Up.ExitCode != 0)
        {
            await DisposeAsync();
            throw new InvalidOperationException($"./demo up -d with two replicas failed:\n{Up.Text}");
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            var down = await _demo.RunAsync("down");
            Assert.True(down.ExitCode == 0, down.Text);
        }
        finally
        {
            _run.Dispose();
        }
    }
}
