using System.Text.RegularExpressions;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.Tests.Pipeline;
using static MicroDemo.Gateway.Tests.Configuration.ConfigurationTestData;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Hosting;

public sealed partial class RequestActivityListenerTests
{
    [Theory]
    [InlineData("")]
    [InlineData(""" "UpstreamHeaderTransform": { "X-Ip": "{RemoteIpAddress}" } """)]
    [InlineData(""" "HttpHandlerOptions": { "UseTracing": false } """)]
    [InlineData(""" "UpstreamHeaderTransform": { "X-Note": "trace {TraceId}" } """)]
    public void A_configuration_that_never_reads_a_trace_id_needs_no_request_activity(string routeExtra)
    {
        Assert.False(RequestActivityListener.IsNeededBy(LoadValid(Document(Route(extra: routeExtra)))));
    }

    [Theory]
    [InlineData(""" "UpstreamHeaderTransform": { "X-Trace": "{TraceId}" } """)]
    [InlineData(""" "DownstreamHeaderTransform": { "X-Trace": "{TraceId}" } """)]
    [InlineData(""" "HttpHandlerOptions": { "UseTracing": true } """)]
    public void A_route_that_reads_the_trace_id_needs_request_activities(string routeExtra)
    {
        Assert.True(RequestActivityListener.IsNeededBy(LoadValid(Document(Route("/plain") + "," + Route("/traced", routeExtra)))));
    }

    [Fact]
    public void Global_UseTracing_needs_request_activities_for_dynamic_routes()
    {
        var dynamic = LoadValid(Document(global: """
            "ServiceDiscoveryProvider": { "Type": "Consul", "Host": "127.0.0.1", "Port": 8500 },
            "HttpHandlerOptions": { "UseTracing": true }
            """));

        Assert.True(RequestActivityListener.IsNeededBy(dynamic));
    }

    [Fact]
    public void Listening_follows_the_configuration()
    {
        using var listener = new RequestActivityListener();

        listener.Listen(enabled: true);
        Assert.True(listener.IsListening);
        listener.Listen(enabled: false);
        Assert.False(listener.IsListening);
    }

    [Fact]
    public async Task TraceId_and_UseTracing_share_one_trace_id_through_the_gateway()
    {
        await using var downstream = await Downstream.StartAsync();
        await using var gateway = Start(OcelotJson([Route("/traced/{rest}", "/echo/{rest}", downstream.Port, new Dictionary<string, object>
        {
            ["DownstreamHeaderTransform"] = new Dictionary<string, string> { ["X-Trace-Id"] = "{TraceId}" },
            ["HttpHandlerOptions"] = new Dictionary<string, bool> { ["UseTracing"] = true },
        })]));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/traced/a");

        var echo = await ReadEchoAsync(response);
        var traceId = Assert.Single(response.Headers.GetValues("X-Trace-Id"));
        Assert.Matches(TraceIdPattern(), traceId);
        var traceparent = Assert.IsType<string>(echo.Header("traceparent"));
        Assert.StartsWith($"00-{traceId}-", traceparent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_clients_sampled_trace_continues_downstream()
    {
        const string clientTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        await using var downstream = await Downstream.StartAsync();
        await using var gateway = Start(OcelotJson([Route("/traced/{rest}", "/echo/{rest}", downstream.Port, new Dictionary<string, object>
        {
            ["HttpHandlerOptions"] = new Dictionary<string, bool> { ["UseTracing"] = true },
        })]));
        // This test's client shares a process with gateways whose OpenTelemetry traces HttpClient calls: without a
        // propagator of its own it sends the client's traceparent as written, as a client elsewhere would.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/traced/a");
        request.Headers.Add("traceparent", $"00-{clientTraceId}-00f067aa0ba902b7-01");

        using var response = await client.SendAsync(request);

        var traceparent = (await ReadEchoAsync(response)).Header("traceparent");
        // Same trace, the gateway's own span as parent, still sampled.
        Assert.Matches($"^00-{clientTraceId}-(?!00f067aa0ba902b7)[0-9a-f]{{16}}-01$", traceparent);
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex TraceIdPattern();
}
