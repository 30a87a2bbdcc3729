using System.Diagnostics;
using System.Net;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Telemetry;

/// <summary>One request, followed through every process by its trace: the spans each app exports over OTLP.</summary>
[Collection(TelemetryStackCollection.Name)]
public sealed class TracingTests(TelemetryStack stack)
{
    [Fact]
    public async Task Placing_an_order_is_one_trace_from_the_client_through_the_gateway_and_orders_to_users()
    {
        var userId = await stack.CreateUserAsync();
        var client = ActivityContext.Parse($"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01", null);

        using var request = stack.GatewayRequest(HttpMethod.Post, "api/orders", new { userId, product = "Keyboard", quantity = 1 });
        request.Headers.Add("traceparent", $"00-{client.TraceId}-{client.SpanId}-01");
        using var response = await stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var trace = client.TraceId.ToHexString();
        var spans = await SpansAsync(trace);

        // The gateway continues the client's trace: its request span is the child of the client's span.
        var gateway = Assert.Single(spans, s => s.Service == "gateway" && s.Kind == ReceivedSpan.Server);
        Assert.Equal("POST /api/orders", gateway.Name);
        Assert.Equal(client.SpanId.ToHexString(), gateway.ParentSpanId);
        // Each step of the pipeline is a span under the request's.
        foreach (var step in new[] { "authentication /api/orders", "load balancing /api/orders", "downstream call /api/orders" })
        {
            Assert.Contains(spans, s => s.Service == "gateway" && s.Name == step && s.ParentSpanId == gateway.SpanId);
        }

        var forward = Assert.Single(spans, s => s.Service == "gateway" && s.Kind == ReceivedSpan.Client);
        var orders = Assert.Single(spans, s => s.Service == "orders" && s.Kind == ReceivedSpan.Server);
        Assert.Equal(forward.SpanId, orders.ParentSpanId);
        // Orders' calls (to users, and to Consul to find users) are children of its request span.
        var users = Assert.Single(spans, s => s.Service == "users" && s.Kind == ReceivedSpan.Server);
        var askUsers = Assert.Single(spans, s => s.SpanId == users.ParentSpanId);
        Assert.Equal(("orders", ReceivedSpan.Client, orders.SpanId), (askUsers.Service, askUsers.Kind, askUsers.ParentSpanId));

        // Each service's log has one line for the request, with the same trace id.
        Assert.Contains($"POST /orders answered 201", stack.Orders.Output);
        Assert.Contains($"trace {trace}", stack.Orders.Output);
        Assert.Contains($"trace {trace}", stack.Users.Output);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("00-00000000000000000000000000000000-0000000000000000-01")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")]
    public async Task A_malformed_traceparent_starts_a_fresh_trace_and_the_request_still_succeeds(string traceparent)
    {
        var marker = $"/api/users/{Random.Shared.Next(1_000_000, 2_000_000)}";
        using var request = stack.GatewayRequest(HttpMethod.Get, marker.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("traceparent", traceparent + new string('x', 2000));

        using var response = await stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // the users service's answer for an unknown id
        var gateway = await Eventually.MatchAsync(
            () => Task.FromResult(stack.Otlp.Spans.FirstOrDefault(s => s.Service == "gateway" && s.Kind == ReceivedSpan.Server && s.Name == "GET /api/users/{id}"
                && stack.Otlp.Spans.Any(u => u.Service == "users" && u.TraceId == s.TraceId && u.Kind == ReceivedSpan.Server))),
            span => span is not null,
            "the gateway and users export the request's spans");
        Assert.Matches("^[0-9a-f]{32}$", gateway!.TraceId);
        Assert.NotEqual(new string('0', 32), gateway.TraceId);
    }

    // A process's request span ends after its other spans, and each process exports its spans in the order they end:
    // once every request span is in, the whole trace is.
    private async Task<IReadOnlyList<ReceivedSpan>> SpansAsync(string traceId) =>
        await Eventually.MatchAsync(
            () => Task.FromResult<IReadOnlyList<ReceivedSpan>>([.. stack.Otlp.Spans.Where(s => s.TraceId == traceId)]),
            spans => new[] { "gateway", "orders", "users" }.All(service => spans.Any(s => s.Service == service && s.Kind == ReceivedSpan.Server)),
            $"the spans of trace {traceId} arrive");
}
