using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>The gateway in front of a real Consul dev agent; each test has its own agent and gateway.</summary>
public sealed class DiscoveryThroughGatewayTests : IAsyncLifetime
{
    private const string Service = "catalog";

    private readonly ConsulAgent _consul = new();
    private readonly List<GatewayServer> _gateways = [];
    private Downstream _one = null!;
    private Downstream _two = null!;

    public async Task InitializeAsync()
    {
        await _consul.InitializeAsync();
        _one = await Downstream.StartAsync("one");
        _two = await Downstream.StartAsync("two");
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        await _one.DisposeAsync();
        await _two.DisposeAsync();
        await _consul.DisposeAsync();
    }

    [Fact]
    public async Task Instances_registered_and_deregistered_while_traffic_flows_take_and_stop_taking_traffic()
    {
        await RegisterAsync(Service, _one);
        using var client = StartGateway().CreateClient();
        await EventuallyServedByAsync(client, "/catalog/x", "one");

        await RegisterAsync(Service, _two);
        // A blocking query hears of the new instance at once; the bound is generous for a loaded machine.
        await EventuallyServedByAsync(client, "/catalog/x", "two", TimeSpan.FromSeconds(5));

        await _consul.Client.DeregisterAsync(IdOf(Service, _one), CancellationToken.None);
        await Eventually.TrueAsync(async () => (await ServersAsync(client, "/catalog/x", 4)).All(s => s == "two"), "the deregistered instance gets no traffic");
        Assert.All(await ServersAsync(client, "/catalog/x", 6), server => Assert.Equal("two", server));
    }

    [Fact]
    public async Task Consul_down_keeps_the_last_instances_and_reports_degraded_until_it_is_back()
    {
        await RegisterAsync(Service, _one);
        var gateway = StartGateway();
        using var client = gateway.CreateClient();
        await EventuallyServedByAsync(client, "/catalog/x", "one");

        await _consul.StopAsync();
        await Eventually.TrueAsync(async () => await DiscoveryHealthAsync(client) == "Degraded", "/health/ready reports discovery Degraded");
        Assert.All(await ServersAsync(client, "/catalog/x", 3), server => Assert.Equal("one", server));

        await _consul.StartAsync();
        await RegisterAsync(Service, _two); // a dev agent forgets everything: the instances register again
        await EventuallyServedByAsync(client, "/catalog/x", "two");
        await Eventually.TrueAsync(async () => await DiscoveryHealthAsync(client) == "Healthy", "/health/ready reports discovery Healthy");
    }

    [Fact]
    public async Task Dynamic_fallback_reaches_a_service_registered_later_but_never_a_statically_routed_one()
    {
        await RegisterAsync("fixed", _one);
        using var client = StartGateway(
            [DiscoveredRoute("/static-api/{rest}", "fixed")],
            dynamicFallback: true).CreateClient();

        await RegisterAsync("late", _two);
        var response = await Eventually.MatchAsync(
            () => client.GetAsync("/late/hello/world?x=1"),
            r => r.IsSuccessStatusCode,
            "the service registered after start is reachable dynamically");

        var echo = await ReadEchoAsync(response);
        Assert.Equal(("two", "/hello/world", "?x=1"), (echo.Server, echo.Path, echo.Query));
        Assert.Equal("one", (await ReadEchoAsync(await client.GetAsync("/static-api/hello"))).Server);
        await ReadProblemAsync(await client.GetAsync("/fixed/hello"), 404);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("DELETE")]
    public async Task A_method_no_route_takes_on_a_routed_path_is_405_not_a_dynamic_route(string method)
    {
        await RegisterAsync("users", _one);
        using var client = StartGateway([DiscoveredRoute("/api/users/{rest}", "users", "GET")], dynamicFallback: true).CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/users/1"));

        Assert.Equal(405, (int)response.StatusCode);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Dynamic_routing_answers_404_for_a_name_nobody_registered_and_503_for_one_without_a_passing_instance()
    {
        // Registered, but its check fails (nothing listens on port 1), so it never passes.
        await _consul.Client.RegisterAsync(
            new ConsulServiceRegistration { ID = "sleepy-1", Name = "sleepy", Address = "127.0.0.1", Port = 1, Check = new ConsulHttpCheck { HTTP = "http://127.0.0.1:1/health" } },
            CancellationToken.None);
        using var client = StartGateway([DiscoveredRoute("/api/users/{rest}", "users", "GET")], dynamicFallback: true).CreateClient();

        var typo = await ReadProblemAsync(await client.GetAsync("/api/userz"), 404);
        Assert.Contains("'api'", typo.GetProperty("detail").GetString());
        var unregistered = await ReadProblemAsync(await client.GetAsync("/nosuchservice/x"), 404);
        Assert.Contains("'nosuchservice'", unregistered.GetProperty("detail").GetString());
        await ReadProblemAsync(await client.GetAsync("/sleepy/x"), 503);
    }

    private GatewayServer StartGateway(JsonObject[]? routes = null, bool dynamicFallback = false)
    {
        var gateway = GatewayServer.Start(OcelotJson(
            routes ?? [DiscoveredRoute("/catalog/{rest}", Service)],
            new
            {
                ServiceDiscoveryProvider = new { Host = "127.0.0.1", Port = _consul.HttpPort, Type = "Consul" },
                DynamicRoutingFallback = dynamicFallback,
            }));
        _gateways.Add(gateway);
        return gateway;
    }

    private static JsonObject DiscoveredRoute(string upstream, string serviceName, params string[] methods)
    {
        var route = Route(upstream, "/{rest}", port: 1, new { ServiceName = serviceName, LoadBalancerOptions = new { Type = "RoundRobin" }, UpstreamHttpMethod = methods });
        route.Remove("DownstreamHostAndPorts");
        return route;
    }

    private Task RegisterAsync(string name, Downstream downstream) =>
        _consul.Client.RegisterAsync(
            new ConsulServiceRegistration { ID = IdOf(name, downstream), Name = name, Address = "127.0.0.1", Port = downstream.Port },
            CancellationToken.None);

    private static string IdOf(string name, Downstream downstream) => $"{name}-{downstream.Name}";

    private static Task EventuallyServedByAsync(HttpClient client, string path, string server, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(async () => (await ServersAsync(client, path, 2)).Contains(server), $"{server} answers {path}", timeout);

    private static async Task<List<string>> ServersAsync(HttpClient client, string path, int count)
    {
        var servers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(path);
            servers.Add(response.IsSuccessStatusCode ? (await ReadEchoAsync(response)).Server : $"status {(int)response.StatusCode}");
        }

        return servers;
    }

    private static async Task<string?> DiscoveryHealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        return health.GetProperty("checks").GetProperty("discovery").GetProperty("status").GetString();
    }
}
