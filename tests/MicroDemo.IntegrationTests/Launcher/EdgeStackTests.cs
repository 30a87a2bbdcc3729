using System.Net;
using System.Net.Http.Headers;
using MicroDemo.IntegrationTests.Security;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Launcher;

/// <summary>Two gateway replicas behind the nginx edge, as `MICRODEMO_GATEWAY_REPLICAS=2 ./demo up -d` starts them.</summary>
public sealed class EdgeStackTests(EdgeStack stack) : IClassFixture<EdgeStack>
{
    [Fact]
    public async Task Up_shows_both_replicas_and_the_edge_passing_and_each_replica_is_in_Consul_under_its_own_id()
    {
        foreach (var name in (string[])["gateway-1", "gateway-2", "edge"])
        {
            Assert.Matches($@"(?m)^{name}\s+\d+\s+http://127\.0\.0\.1:\d+\S*(\s+https://\S+)?\s+passing\s", stack.Up.Output);
        }

        Assert.Equal(stack.ReplicaPorts.Select(port => $"gateway-127.0.0.1-{port}").Order(), await stack.PassingGatewayIdsAsync());
    }

    [Fact]
    public async Task Requests_through_the_edge_reach_both_replicas()
    {
        using var client = new HttpClient { BaseAddress = stack.Edge };
        var servedBy = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("health/live");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            servedBy.Add(response.Headers.GetValues("X-Served-By").Single());
        }

        Assert.Equal(stack.ReplicaPorts.Select(port => $"gateway-127.0.0.1-{port}").Order(), servedBy.Order());
    }

    [Fact]
    public async Task A_forged_X_Forwarded_For_through_the_edge_does_not_escape_the_per_IP_limit()
    {
        const int Requests = 10;
        // 3 per 10 s per client IP (ocelot.json), counted once for both replicas: they share the counters in Redis.
        const int Limit = 3;
        using var tokens = new HttpClient();
        var token = await new TokenClient(tokens).ClientCredentialsAsync(stack.Edge, "demo-client", "demo-secret");
        using var forger = Client(IPAddress.Parse("127.0.0.2"), token);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/limited/users");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await forger.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{status}"));
        Assert.Equal(Limit, statuses.Count(status => status == HttpStatusCode.OK));

        // The limit is the forger's, not the edge's: another client behind the same edge still gets through.
        using var other = Client(IPAddress.Parse("127.0.0.3"), token);
        using var admitted = await other.GetAsync("api/limited/users");
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    private HttpClient Client(IPAddress source, string token)
    {
        var client = new HttpClient(LoopbackSource.Handler(source)) { BaseAddress = stack.Edge };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
