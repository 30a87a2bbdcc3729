using System.Globalization;
using System.Net.Http.Json;
using MicroDemo.Launcher.Processes;
using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Launcher.Consul;

/// <summary>The stack's own Consul dev agent: how to start it and what the launcher asks it.</summary>
internal sealed class StackConsul(Uri url) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(url, "/"), Timeout = TimeSpan.FromSeconds(10) };

    public Uri Url => url;

    private ConsulClient Client => new(_http);

    /// <summary>
    /// A dev agent (in memory, forgets everything when stopped) on loopback only. Its serf and server
    /// ports are whatever the OS says is free, so a second stack (the tests') never collides with the
    /// user's; DNS and gRPC are off because nothing here uses them.
    /// </summary>
    public static IReadOnlyList<string> AgentArguments(int httpPort) =>
    [
        "agent", "-dev", "-bind", "127.0.0.1", "-client", "127.0.0.1",
        "-node", $"microdemo-{httpPort}",
        "-http-port", Text(httpPort),
        "-serf-lan-port", Text(PortOwners.AnyFree()),
        "-serf-wan-port", Text(PortOwners.AnyFree()),
        "-server-port", Text(PortOwners.AnyFree()),
        "-dns-port", "-1", "-grpc-port", "-1",
    ];

    public Task<bool> HasLeaderAsync(CancellationToken cancellationToken) => Client.IsReadyAsync(cancellationToken);

    /// <summary>True when the instance of <paramref name="serviceName"/> on <paramref name="port"/> passes all its checks.</summary>
    public async Task<bool> IsPassingAsync(string serviceName, int port, CancellationToken cancellationToken)
    {
        var healthy = await Client.GetHealthyInstancesAsync(serviceName, 0, TimeSpan.Zero, cancellationToken);
        return healthy.Value.Any(instance => instance.Port == port);
    }

    /// <summary>Every service registered with this agent (id, name, port): what `down` checks is gone.</summary>
    public async Task<IReadOnlyList<(string Id, string Name, int Port)>> RegisteredServicesAsync(CancellationToken cancellationToken)
    {
        var services = await _http.GetFromJsonAsync<Dictionary<string, AgentService>>("v1/agent/services", cancellationToken) ?? [];
        return services.Select(pair => (pair.Key, pair.Value.Service ?? "", pair.Value.Port)).ToArray();
    }

    public Task DeregisterAsync(string serviceId, CancellationToken cancellationToken) => Client.DeregisterAsync(serviceId, cancellationToken);

    public void Dispose() => _http.Dispose();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record AgentService(string? Service, int Port);
}
