using System.Net;
using System.Text.Json;
using MicroDemo.Gateway.Tests.Pipeline;
using MicroDemo.ServiceDefaults;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.LoopDetection;

/// <summary>
/// The built gateway as its own process, registered in a real Consul agent as <c>gateway</c> (as ./demo runs it),
/// with dynamic routing on: nothing a client sends makes it forward to itself, or reach Consul.
/// </summary>
public sealed class GatewayLoopTests : IAsyncLifetime
{
    private readonly ConsulAgent _consul = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("microdemo-gateway-loop-");
    private readonly int _port = FreePorts.Next();
    private AppProcess? _gateway;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _consul.InitializeAsync();
        var ocelotFile = Path.Combine(_folder.FullName, "ocelot.json");
        // A static route back to the gateway itself: only the Via guard can stop that loop.
        await File.WriteAllTextAsync(ocelotFile, JsonSerializer.Serialize(OcelotJson(
            [Route("/loop/{everything}", "/loop/{everything}", _port)],
            new
            {
                ServiceDiscoveryProvider = new { Host = "127.0.0.1", Port = _consul.HttpPort, Type = "Consul" },
                DynamicRoutingFallback = true,
            })));
        _gateway = AppProcess.Start(MicroDemoApps.Gateway, new Dictionary<string, string>
        {
            [SettingNames.ConsulUrl] = _consul.Url.ToString().TrimEnd('/'),
            [SettingNames.ServiceName] = "gateway",
            [SettingNames.ServiceAddress] = "127.0.0.1",
            [SettingNames.ServiceRegisterInConsul] = "true",
            [SettingNames.GatewayOcelotFile] = ocelotFile,
        }, _port);
        _client = new HttpClient { BaseAddress = _gateway.Url, Timeout = TimeSpan.FromSeconds(30) };
        await _gateway.WaitUntilPassingAsync(_consul.Client, "gateway");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await _consul.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task The_issues_reproduction_gets_404s_and_the_gateway_stays_alive()
    {
        // Issue 19: twelve of these in parallel opened ~1,800 sockets each and killed the gateway.
        var path = string.Concat(Enumerable.Repeat("/gateway", 900)) + "/health/live";

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _client.GetAsync(path)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.NotFound, response.StatusCode));
        await ProblemAssert.IsProblemAsync(responses[0], HttpStatusCode.NotFound);
        Assert.False(_gateway!.HasExited, _gateway.Output);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Consul_is_not_reachable_through_dynamic_routing()
    {
        // The dev agent registers itself as "consul"; the gateway must not become a door to its API.
        using var response = await _client.GetAsync("/consul/v1/agent/self");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_static_route_pointing_back_at_the_gateway_is_stopped_with_508_on_its_second_pass()
    {
        using var response = await _client.GetAsync("/loop/x");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.LoopDetected);
        Assert.Contains("gateway", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Another_name_registered_at_the_gateways_own_address_is_never_dialled()
    {
        await _consul.Client.RegisterAsync(
            new ConsulServiceRegistration { ID = "mirror-1", Name = "mirror", Address = "127.0.0.1", Port = _port },
            CancellationToken.None);

        // The instance is filtered out, so there is none to send to: 503, not a request to itself.
        var response = await Eventually.MatchAsync(
            () => _client.GetAsync("/mirror/health/live"),
            r => r.StatusCode != HttpStatusCode.NotFound,
            "the gateway's catalog knows the name 'mirror'");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
    }
}
