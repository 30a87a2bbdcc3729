using System.Text.Json;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

public sealed class AggregatesThroughGatewayTests : IAsyncLifetime
{
    private Downstream _downstream = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _downstream = await Downstream.StartAsync();
        var port = _downstream.Port;
        _gateway = GatewayServer.Start(OcelotJson(
            [
                Route("/{everything}", "/catch-all/{everything}", port), // priority 0: never steals the aggregates
                Route("/part-a/{id}", "/a/{id}", port, new { Key = "a" }),
                Route("/part-b/{id}", "/b/{id}", port, new { Key = "b" }),
                Route("/part-empty", "/empty", port, new { Key = "empty" }),
            ],
            aggregates: new object[]
            {
                new { RouteKeys = new[] { "a", "b" }, UpstreamPathTemplate = "/both/{id}" },
                new { RouteKeys = new[] { "a", "empty" }, UpstreamPathTemplate = "/with-empty/{id}" },
            }));
        _client = _gateway.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await _gateway.DisposeAsync();
        await _downstream.DisposeAsync();
    }

    [Fact]
    public async Task Parts_are_combined_under_their_keys()
    {
        using var response = await _client.GetAsync("/both/7");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["a", "b"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("/a/7", json.RootElement.GetProperty("a").GetProperty("path").GetString());
        Assert.Equal("/b/7", json.RootElement.GetProperty("b").GetProperty("path").GetString());
    }

    [Fact]
    public async Task Part_with_empty_body_is_null_and_the_result_stays_valid_json()
    {
        using var response = await _client.GetAsync("/with-empty/1");

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("/a/1", json.RootElement.GetProperty("a").GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("empty").ValueKind);
    }

    [Fact]
    public async Task Catch_all_route_takes_what_no_aggregate_matches()
    {
        var echo = await ReadEchoAsync(await _client.GetAsync("/something/else"));

        Assert.Equal("/catch-all/something/else", echo.Path);
    }
}
