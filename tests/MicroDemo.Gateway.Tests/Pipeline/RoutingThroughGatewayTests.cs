using System.Text;
using System.Text.Json.Nodes;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>One gateway with many routes in front of one echoing downstream: what the downstream receives and the client gets back.</summary>
public sealed class RoutingThroughGatewayTests(RoutingThroughGatewayTests.Fixture fixture) : IClassFixture<RoutingThroughGatewayTests.Fixture>
{
    private const string BaseUrl = "http://gateway.example";

    public sealed class Fixture : GatewayWithDownstream
    {
        protected override object Configuration(int port)
        {
            JsonObject[] routes =
            [
                Route("/api/products/{id}", "/products/{id}", port),
                Route("/files/{everything}", "/storage/{everything}", port),
                Route("/slash/", "/slash-target/", port),
                Route("/noslash", "/noslash-target", port),
                Route("/search?term={term}", "/find?q={term}", port),
                Route("/api/invoices_{a}/{b}-{c}_abcd/{d}", "/inv/{a}/{b}/{c}/{d}", port),
                Route("/CaseSensitive", "/case", port, new { RouteIsCaseSensitive = true }),
                Route("/prio/{x}", "/low/{x}", port),
                Route("/prio/special", "/high", port, new { Priority = 2 }),
                Route("/order/{x}", "/first/{x}", port),
                Route("/order/fixed", "/second", port),
                Route("/host", "/host-any", port),
                Route("/host", "/host-tenant", port, new { UpstreamHost = "tenant.example" }),
                Route("/tenant-data", "/tenants/{tenant}/data", port, new { UpstreamHeaderTemplates = new Dictionary<string, string> { ["X-Tenant"] = "id-{header:tenant}" } }),
                Route("/only-get", "/only-get", port, new { UpstreamHttpMethod = new[] { "GET" } }),
                Route("/convert", "/converted", port, new { UpstreamHttpMethod = new[] { "POST" }, DownstreamHttpMethod = "PUT" }),
                Route("/merge/{id}", "/merged?id={id}&fixed=1", port),
                Route("/transform", "/transformed", port, new
                {
                    UpstreamHeaderTransform = new Dictionary<string, string>
                    {
                        ["X-Base"] = "{BaseUrl}",
                        ["X-Client-Ip"] = "{RemoteIpAddress}",
                        ["X-Replace"] = "foo, bar",
                    },
                    DownstreamHeaderTransform = new Dictionary<string, string>
                    {
                        ["X-Self"] = "{DownstreamBaseUrl}, {BaseUrl}",
                        ["X-Added"] = "added",
                        ["X-Multi"] = "o, 0", // the downstream sends X-Multi twice: "one" and "two"
                    },
                }),
                Route("/own-forwarded-for", "/echo/own", port, new
                {
                    UpstreamHeaderTransform = new Dictionary<string, string> { ["X-Forwarded-For"] = "{RemoteIpAddress}" },
                }),
                Route("/request-id", "/request-id", port, new { RequestIdKey = "X-Request-Id" }),
                Route("/fail/{code}", "/status/{code}", port),
                Route("/echo/{rest}", "/echo/{rest}", port),
            ];
            return OcelotJson(routes, new { BaseUrl });
        }
    }

    private HttpClient Client => fixture.Client;

    [Theory]
    [InlineData("/api/products/1", "/products/1", "")]
    [InlineData("/api/products/1/2/3", "/products/1/2/3", "")] // a trailing placeholder is a catch-all
    [InlineData("/API/PRODUCTS/7", "/products/7", "")] // case-insensitive by default
    [InlineData("/files", "/storage", "")] // the trailing /{everything} segment is optional
    [InlineData("/api/products", "/products", "")]
    [InlineData("/files/", "/storage/", "")]
    [InlineData("/files/a/b.txt", "/storage/a/b.txt", "")]
    [InlineData("/slash", "/slash-target", "")] // a template ending in / also matches without it
    [InlineData("/slash/", "/slash-target/", "")]
    [InlineData("/noslash", "/noslash-target", "")]
    [InlineData("/search?term=abc&page=2", "/find", "?q=abc&page=2")] // the consumed query parameter is not forwarded
    [InlineData("/api/invoices_1/2-3_abcd/4", "/inv/1/2/3/4", "")] // embedded placeholders
    [InlineData("/CaseSensitive", "/case", "")]
    [InlineData("/prio/special", "/high", "")] // a higher Priority (default 1) beats file order
    [InlineData("/prio/other", "/low/other", "")]
    [InlineData("/order/fixed", "/first/fixed", "")] // equal priority: the first route in the file wins
    [InlineData("/merge/5?extra=x&fixed=2", "/merged", "?id=5&fixed=1&extra=x")] // template parameters win, others are kept
    [InlineData("/echo/a?x=1&x=2", "/echo/a", "?x=1&x=2")]
    public async Task Upstream_path_reaches_the_downstream_path(string upstream, string path, string query)
    {
        var echo = await ReadEchoAsync(await Client.GetAsync(upstream));

        Assert.Equal((path, query), (echo.Path, echo.Query));
    }

    [Theory]
    [InlineData("/noslash/")] // no trailing slash in the template: none allowed in the request
    [InlineData("/filesxyz")]
    [InlineData("/casesensitive")]
    [InlineData("/api/productsX")]
    [InlineData("/tenant-data")] // the header template's header is missing
    public async Task Unmatched_request_is_404_problem(string upstream)
    {
        var problem = await ReadProblemAsync(await Client.GetAsync(upstream), 404);

        Assert.Contains(upstream, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    public async Task Method_outside_UpstreamHttpMethod_is_405_problem_with_Allow(string method)
    {
        Assert.Equal("/only-get", (await ReadEchoAsync(await Client.GetAsync("/only-get"))).Path);

        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/only-get"));

        Assert.Equal(405, (int)response.StatusCode);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
        if (method != "HEAD")
        {
            var problem = await ReadProblemAsync(response, 405);
            Assert.Contains(method, problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Allow_names_the_method_the_route_converts_from()
    {
        using var response = await Client.DeleteAsync("/convert");

        await ReadProblemAsync(response, 405);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task UpstreamHost_route_wins_for_its_host_and_others_take_the_route_without_host()
    {
        using var tenant = new HttpRequestMessage(HttpMethod.Get, "/host");
        tenant.Headers.Host = "tenant.example:8080"; // the port is ignored

        Assert.Equal("/host-tenant", (await ReadEchoAsync(await Client.SendAsync(tenant))).Path);
        Assert.Equal("/host-any", (await ReadEchoAsync(await Client.GetAsync("/host"))).Path);
    }

    [Fact]
    public async Task Header_template_capture_fills_the_downstream_path()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tenant-data");
        request.Headers.Add("X-Tenant", "id-acme");

        Assert.Equal("/tenants/acme/data", (await ReadEchoAsync(await Client.SendAsync(request))).Path);
    }

    [Fact]
    public async Task DownstreamHttpMethod_changes_the_method_and_keeps_the_body()
    {
        var echo = await ReadEchoAsync(await Client.PostAsync("/convert", new StringContent("payload", Encoding.UTF8, "text/plain")));

        Assert.Equal(("PUT", "/converted", "payload"), (echo.Method, echo.Path, echo.Body));
        Assert.Equal("text/plain; charset=utf-8", echo.Header("Content-Type"));
    }

    [Fact]
    public async Task Header_transforms_resolve_placeholders_both_ways()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/transform");
        request.Headers.Add("X-Replace", "foo and foo");
        request.Headers.Add("X-Base", "sent by the client");

        using var response = await Client.SendAsync(request);
        var echo = await ReadEchoAsync(response);

        Assert.Equal(BaseUrl, echo.Header("X-Base"));
        Assert.Equal("127.0.0.1", echo.Header("X-Client-Ip"));
        Assert.Equal("bar and bar", echo.Header("X-Replace"));
        Assert.Equal(BaseUrl + "/self", Assert.Single(response.Headers.GetValues("X-Self")));
        Assert.Equal("added", Assert.Single(response.Headers.GetValues("X-Added")));
        Assert.Equal(["0ne", "tw0"], response.Headers.GetValues("X-Multi").SelectMany(v => v.Split(',')).Select(v => v.Trim()));
    }

    [Fact]
    public async Task RequestIdKey_forwards_the_sent_id_or_a_generated_one()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/request-id");
        request.Headers.Add("X-Request-Id", "abc-123");

        Assert.Equal("abc-123", (await ReadEchoAsync(await Client.SendAsync(request))).Header("X-Request-Id"));
        Assert.False(string.IsNullOrWhiteSpace((await ReadEchoAsync(await Client.GetAsync("/request-id"))).Header("X-Request-Id")));
    }

    [Theory]
    [InlineData("/echo/forwarded", "10.0.0.1, 127.0.0.1")] // appended to the client's chain
    [InlineData("/own-forwarded-for", "127.0.0.1")] // Ocelot's idiom "X-Forwarded-For": "{RemoteIpAddress}" decides alone
    public async Task Forwarded_headers_are_sent_and_Host_is_the_downstreams_own(string path, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", "10.0.0.1");

        var echo = await ReadEchoAsync(await Client.SendAsync(request));

        Assert.Equal(forwardedFor, echo.Header("X-Forwarded-For"));
        Assert.Equal("http", echo.Header("X-Forwarded-Proto"));
        Assert.Equal($"127.0.0.1:{fixture.Gateway.Port}", echo.Header("X-Forwarded-Host"));
        Assert.Equal($"127.0.0.1:{fixture.Downstream.Port}", echo.Host);
    }

    [Fact]
    public async Task Multi_value_headers_pass_both_ways()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/multi");
        request.Headers.TryAddWithoutValidation("X-Multi-Request", ["a", "b"]);

        using var response = await Client.SendAsync(request);
        var echo = await ReadEchoAsync(response);

        Assert.Equal(["a", "b"], echo.Header("X-Multi-Request")!.Split(',').Select(v => v.Trim()));
        Assert.Equal(["one", "two"], response.Headers.GetValues("X-Multi").SelectMany(v => v.Split(',')).Select(v => v.Trim()));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(418)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Downstream_error_responses_pass_through_untouched(int status)
    {
        using var response = await Client.GetAsync($"/fail/{status}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("kept", Assert.Single(response.Headers.GetValues("X-Downstream-Error")));
        Assert.Equal("application/vnd.microdemo.error+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($$"""{"error":"downstream said {{status}}"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AddForwardedHeaders_false_sends_none()
    {
        await using var gateway = GatewayServer.Start(OcelotJson(
            [Route("/{everything}", "/{everything}", fixture.Downstream.Port)],
            new { AddForwardedHeaders = false }));
        using var client = gateway.CreateClient();

        var echo = await ReadEchoAsync(await client.GetAsync("/plain"));

        Assert.Equal("/plain", echo.Path);
        Assert.DoesNotContain(echo.Headers.Keys, name => name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase));
    }
}
