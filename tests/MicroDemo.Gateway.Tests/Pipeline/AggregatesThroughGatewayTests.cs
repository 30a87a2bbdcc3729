using System.Text.Json;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

public sealed class AggregatesThroughGatewayTests : GatewayWithDownstream
{
    protected override object Configuration(int downstreamPort) =>
        OcelotJson(
            [
                Route("/{everything}", "/catch-all/{everything}", downstreamPort), // priority 0: never steals the aggregates
                Route("/part-a/{id}", "/a/{id}", downstreamPort, new { Key = "a" }),
                Route("/part-b/{id}", "/b/{id}", downstreamPort, new { Key = "b" }),
                Route("/part-empty", "/empty", downstreamPort, new { Key = "empty" }),
            ],
            aggregates: new object[]
            {
                new { RouteKeys = new[] { "a", "b" }, UpstreamPathTemplate = "/both/{id}" },
                new { RouteKeys = new[] { "a", "empty" }, UpstreamPathTemplate = "/with-empty/{id}" },
            });

    [Fact]
    public async Task Parts_are_combined_under_their_keys()
    {
        using var response = await Client.GetAsync("/both/7");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["a", "b"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("/a/7", json.RootElement.GetProperty("a").GetProperty("path").GetString());
        Assert.Equal("/b/7", json.RootElement.GetProperty("b").GetProperty("path").GetString());
    }

    [Fact]
    public async Task Parts_are_sent_the_forwarded_headers()
    {
        using var response = await Client.GetAsync("/both/7");

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var part in new[] { "a", "b" })
        {
            var echo = json.RootElement.GetProperty(part).Deserialize<Echo>(JsonSerializerOptions.Web)!;
            Assert.Equal("127.0.0.1", echo.Header("X-Forwarded-For"));
            Assert.Equal("http", echo.Header("X-Forwarded-Proto"));
        }
    }

    [Fact]
    public async Task Part_with_empty_body_is_null_and_the_result_stays_valid_json()
    {
        using var response = await Client.GetAsync("/with-empty/1");

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("/a/1", json.RootElement.GetProperty("a").GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("empty").ValueKind);
    }

    [Fact]
    public async Task Catch_all_route_takes_what_no_aggregate_matches()
    {
        var echo = await ReadEchoAsync(await Client.GetAsync("/something/else"));

        Assert.Equal("/catch-all/something/else", echo.Path);
    }
}
