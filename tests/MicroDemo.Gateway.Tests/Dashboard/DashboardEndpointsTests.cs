using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MicroDemo.Gateway.Tests.Policies;
using MicroDemo.Gateway.Tests.Security;
using MicroDemo.Testing;

namespace MicroDemo.Gateway.Tests.Dashboard;

/// <summary>The dashboard as a browser and a stranger reach it: page, data, live updates, and who may see them.</summary>
public sealed class DashboardEndpointsTests : IAsyncLifetime
{
    private Downstream _downstream = null!;

    public async Task InitializeAsync() => _downstream = await Downstream.StartAsync();

    public async Task DisposeAsync() => await _downstream.DisposeAsync();

    [Fact]
    public async Task The_page_is_served_to_a_browser_on_this_machine_with_a_strict_content_security_policy()
    {
        using var gateway = Start();

        using var response = await gateway.Client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<base href=\"/dashboard/\">", await response.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        foreach (var (file, type) in new[] { ("dashboard.js", "text/javascript"), ("dashboard.css", "text/css") })
        {
            using var asset = await gateway.Client.GetAsync($"/dashboard/{file}");
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_data_counts_each_route_by_method_with_its_policies()
    {
        using var gateway = Start(OcelotJson.Route("/shop", _downstream.Port, new { QoSOptions = new { MinimumThroughput = 3, BreakDuration = 5000 } }));
        for (var i = 0; i < 3; i++)
        {
            using var forwarded = await gateway.Client.GetAsync("/shop/items");
            Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        }

        var route = await Eventually.MatchAsync(
            async () => (await DataAsync(gateway.Client))["routes"]!.AsArray().Single()!,
            r => r["traffic"]!["total"]!.GetValue<long>() == 3,
            "the dashboard counts the three requests");

        Assert.Equal(OcelotJson.RouteName("/shop"), route["route"]!.GetValue<string>());
        Assert.Equal("closed", route["circuit"]!.GetValue<string>());
        Assert.Equal(0, route["traffic"]!["errorRatio"]!.GetValue<double>());
        Assert.NotNull(route["traffic"]!["p99Ms"]);
        Assert.Equal("no-store", (await gateway.Client.GetAsync("/dashboard/data")).Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_client_at_its_rate_limit_is_listed_with_the_route_and_its_refusals()
    {
        using var gateway = Start(OcelotJson.Route("/limited", _downstream.Port, new { RateLimitOptions = new { Limit = 3, Period = "1m", PartitionBy = "ClientIp" } }));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.GetAsync("/limited/items");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var data = await DataAsync(gateway.Client);
        var pressure = Assert.Single(data["rateLimits"]!.AsArray())!;
        Assert.Equal((OcelotJson.RouteName("/limited"), "127.0.0.1", true, 3L), (
            pressure["route"]!.GetValue<string>(), pressure["client"]!.GetValue<string>(), pressure["rejected"]!.GetValue<bool>(), pressure["limit"]!.GetValue<long>()));
        var route = data["routes"]!.AsArray().Single()!;
        Assert.Equal(("3 per 1m", 1L), (route["rateLimit"]!.GetValue<string>(), route["rateLimited"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/dashboard.js")]
    [InlineData("/dashboard/data")]
    [InlineData("/dashboard/events")]
    public async Task A_client_on_another_machine_does_not_find_the_dashboard(string path)
    {
        // Behind a trusted edge the gateway sees the client's own address, as it would without the edge.
        using var gateway = Start(settings: new Dictionary<string, string?> { ["Gateway:ForwardedHeaders:TrustedProxies:0"] = "127.0.0.1" });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("routes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_the_admin_scope_required_the_data_needs_an_admin_token_from_anywhere()
    {
        await using var issuer = await TestTokenIssuer.StartAsync();
        var settings = GatewayHost.WithBearer(issuer);
        settings["Gateway:Dashboard:RequireAdminScope"] = "true";
        settings["Gateway:ForwardedHeaders:TrustedProxies:0"] = "127.0.0.1";
        using var gateway = Start(settings: settings);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(gateway.Client, "/dashboard/data", token: null));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(gateway.Client, "/dashboard/data", issuer.CreateToken(scope: "users.read")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Client, "/dashboard/data", issuer.CreateToken(scope: "gateway.admin"), from: "203.0.113.7"));
        // The page holds no data: it is served to anyone, and asks for the token.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Client, "/dashboard", token: null, from: "203.0.113.7"));
    }

    [Fact]
    public async Task Live_updates_are_capped_so_that_many_open_pages_do_not_tie_up_the_gateway()
    {
        using var gateway = Start(settings: new Dictionary<string, string?> { ["Gateway:Dashboard:MaxLiveClients"] = "2" });
        var streams = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var stream = await gateway.Client.GetAsync("/dashboard/events", HttpCompletionOption.ResponseHeadersRead);
                streams.Add(stream);
                Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
                Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
                using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
                Assert.StartsWith("data: {", await reader.ReadLineAsync());
            }

            using (var refused = await gateway.Client.GetAsync("/dashboard/events", HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }

            // Polling and everything else still work.
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Client, "/dashboard/data", token: null));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Client, "/health/live", token: null));

            // A page that goes away frees its slot.
            streams[0].Dispose();
            await Eventually.TrueAsync(
                async () =>
                {
                    using var again = await gateway.Client.GetAsync("/dashboard/events", HttpCompletionOption.ResponseHeadersRead);
                    return again.StatusCode == HttpStatusCode.OK;
                },
                "a closed page's slot is given to the next one");
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Switched_off_the_dashboard_is_not_there()
    {
        using var gateway = Start(settings: new Dictionary<string, string?> { ["Gateway:Dashboard:Enabled"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.Client, "/dashboard", token: null));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.Client, "/dashboard/data", token: null));
    }

    private GatewayHost Start(JsonObject? route = null, Dictionary<string, string?>? settings = null) =>
        GatewayHost.Start(OcelotJson.Document(route ?? OcelotJson.Route("/api", _downstream.Port)), settings);

    private static async Task<JsonObject> DataAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/dashboard/data");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string? token, string? from = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (from is not null)
        {
            request.Headers.Add("X-Forwarded-For", from);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
