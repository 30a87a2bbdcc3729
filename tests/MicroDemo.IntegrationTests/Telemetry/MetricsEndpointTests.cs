using System.Net;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Telemetry;

/// <summary>What Prometheus would scrape from each app.</summary>
[Collection(TelemetryStackCollection.Name)]
public sealed class MetricsEndpointTests(TelemetryStack stack)
{
    [Fact]
    public async Task The_gateway_metrics_have_series_per_route_and_per_downstream_instance()
    {
        using (var request = stack.GatewayRequest(HttpMethod.Get, "api/orders"))
        using (var response = await stack.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var metrics = await Eventually.MatchAsync(
            () => stack.Http.GetStringAsync(new Uri(stack.Gateway.Url, "metrics")),
            text => text.Contains("microdemo_gateway_downstream_duration_seconds_count", StringComparison.Ordinal),
            "the gateway's /metrics has its downstream series");

        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_route=\"/api/orders\"", metrics);
        Assert.Matches($"microdemo_gateway_downstream_duration_seconds_count\\{{[^}}]*http_response_status_class=\"2xx\"[^}}]*http_route=\"/api/orders\"[^}}]*microdemo_instance=\"orders-127.0.0.1-{stack.Orders.Port}\"", metrics);
        Assert.Matches("microdemo_gateway_discovery_instances\\{[^}]*service=\"orders\"[^}]*\\} 1", metrics);
        Assert.Contains("dotnet_gc_collections_total", metrics);
    }

    [Fact]
    public async Task Every_service_answers_a_prometheus_scrape()
    {
        foreach (var app in new[] { stack.Users, stack.Orders })
        {
            using var response = await stack.Http.GetAsync(new Uri(app.Url, "metrics"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("http_server_request_duration_seconds", await response.Content.ReadAsStringAsync());
        }
    }
}
