using System.Net;
using System.Text.Json.Nodes;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Policies.OcelotJson;

namespace MicroDemo.Gateway.Tests.Policies;

/// <summary>
/// Passive health through the gateway: a route balancing over two instances loses nothing to one that refuses
/// connections or fails, and its circuit breaker opens only when no instance can serve.
/// </summary>
public sealed class PassiveHealthTests : IAsyncLifetime
{
    private Downstream _live = null!;

    public async Task InitializeAsync() => _live = await Downstream.StartAsync();

    public async Task DisposeAsync() => await _live.DisposeAsync();

    [Fact]
    public async Task A_refused_connection_is_retried_on_the_other_instance_and_never_opens_the_circuit()
    {
        var dead = FreePorts.Next();
        await using var gateway = GatewayHost.Start(Document(TwoInstances(dead, _live.Port, new { QoSOptions = new { MinimumThroughput = 1, BreakDuration = 10_000 } })));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await gateway.Client.GetAsync("/q/items");
            statuses.Add(response.StatusCode);
        }

        using var post = await gateway.Client.PostAsync("/q/items", new StringContent("order"));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode); // never sent, so even a POST may go elsewhere
        Assert.Contains("body=order", await post.Content.ReadAsStringAsync());
        Assert.Equal(21, _live.Requests);
    }

    [Fact]
    public async Task An_instance_failing_with_5xx_is_ejected_and_the_route_keeps_serving_from_the_other()
    {
        await using var failing = await Downstream.StartAsync();
        failing.StatusCode = 500;
        await using var gateway = GatewayHost.Start(
            Document(TwoInstances(failing.Port, _live.Port, new { QoSOptions = new { MinimumThroughput = 2, BreakDuration = 10_000 } })),
            new Dictionary<string, string?> { ["Gateway:PassiveHealth:EjectionDuration"] = "00:01:00" });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var response = await gateway.Client.GetAsync("/q/items");
            statuses.Add(response.StatusCode);
        }

        // The streak that ejects it (3 answers by default) reaches clients; then nothing does, and no 503 "circuit open".
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.InternalServerError));
        Assert.Equal(37, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, failing.Requests);
    }

    [Fact]
    public async Task When_no_instance_can_serve_the_circuit_opens_as_with_one_instance()
    {
        await using var gateway = GatewayHost.Start(Document(TwoInstances(FreePorts.Next(), FreePorts.Next(), new { QoSOptions = new { MinimumThroughput = 2, BreakDuration = 10_000 } })));

        for (var i = 0; i < 2; i++)
        {
            using var unreachable = await gateway.Client.GetAsync("/q/items");
            await Problem.ReadAsync(unreachable, HttpStatusCode.BadGateway);
        }

        using var open = await gateway.Client.GetAsync("/q/items");
        Assert.Equal("Circuit open", (await Problem.ReadAsync(open, HttpStatusCode.ServiceUnavailable)).Title);
    }

    [Fact]
    public async Task With_RetryIdempotent_a_GET_answered_503_by_one_instance_is_answered_by_the_other()
    {
        await using var draining = await Downstream.StartAsync();
        draining.StatusCode = 503;
        await using var gateway = GatewayHost.Start(
            Document(TwoInstances(draining.Port, _live.Port)),
            new Dictionary<string, string?> { ["Gateway:PassiveHealth:RetryIdempotent"] = "true" });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await gateway.Client.GetAsync("/q/items");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(10, _live.Requests);
        Assert.Equal(3, draining.Requests); // then ejected: its streak of 503s was the default 3

    }

    /// <summary>A round-robin route over two instances on 127.0.0.1.</summary>
    private static JsonObject TwoInstances(int first, int second, object? options = null)
    {
        var route = Route("/q", first, options);
        route["DownstreamHostAndPorts"] = new JsonArray(
            new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = first },
            new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = second });
        route["LoadBalancerOptions"] = new JsonObject { ["Type"] = "RoundRobin" };
        return route;
    }
}
