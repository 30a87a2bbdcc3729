using System.Diagnostics;
using System.Net.Http.Json;
using System.Net;
using MicroDemo.Testing;

namespace MicroDemo.Orders.Tests.Faults;

public sealed class FaultInjectionTests : IDisposable
{
    private readonly OrdersApiFactory _factory = new();
    private readonly HttpClient _client;

    public FaultInjectionTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Off_by_default()
    {
        Assert.Equal(new Faults(0, 0), await _client.GetFromJsonAsync<Faults>("/faults"));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/orders")).StatusCode);
    }

    [Fact]
    public async Task Failure_rate_one_fails_every_business_request_but_not_health_openapi_or_faults()
    {
        var set = await _client.PutAsJsonAsync("/faults", new { failureRate = 1.0 });
        Assert.Equal(new Faults(0, 1.0), await set.Content.ReadFromJsonAsync<Faults>());

        for (var i = 0; i < 5; i++)
        {
            var response = await _client.GetAsync("/orders/1");
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError);
            Assert.Equal("Injected fault", problem.GetProperty("title").GetString());
            Assert.True(response.Headers.Contains("X-Served-By"));
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(new Faults(0, 1.0), await _client.GetFromJsonAsync<Faults>("/faults"));
    }

    [Fact]
    public async Task Half_failure_rate_fails_about_half()
    {
        await _client.PutAsJsonAsync("/faults", new { failureRate = 0.5 });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ => (await _client.GetAsync("/orders/1")).StatusCode));

        // Binomial(200, 0.5): outside 60..140 has a probability far below one in a billion.
        var failures = statuses.Count(status => status == HttpStatusCode.InternalServerError);
        Assert.InRange(failures, 60, 140);
        Assert.Equal(200 - failures, statuses.Count(status => status == HttpStatusCode.OK));
    }

    [Fact]
    public async Task Latency_slows_business_requests_many_times_over_the_baseline()
    {
        const int LatencyMs = 1000;
        await _client.GetAsync("/orders");
        var baseline = await MedianAsync("/orders");

        await _client.PutAsJsonAsync("/faults", new { latencyMs = LatencyMs });
        var slowed = await MedianAsync("/orders");
        var health = await MedianAsync("/health/live");

        Assert.True(slowed >= TimeSpan.FromMilliseconds(LatencyMs * 0.9), $"slowed {slowed}");
        Assert.True(slowed > baseline * 3, $"slowed {slowed} vs baseline {baseline}");
        Assert.True(health < slowed / 3, $"health {health} vs slowed {slowed}");
    }

    [Fact]
    public async Task Delete_resets()
    {
        await _client.PutAsJsonAsync("/faults", new { latencyMs = 10, failureRate = 1.0 });

        var reset = await _client.DeleteAsync("/faults");

        Assert.Equal(new Faults(0, 0), await reset.Content.ReadFromJsonAsync<Faults>());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/orders")).StatusCode);
    }

    [Theory]
    [InlineData(-1, 0, "latencyMs")]
    [InlineData(60_001, 0, "latencyMs")]
    [InlineData(0, -0.1, "failureRate")]
    [InlineData(0, 1.5, "failureRate")]
    public async Task Out_of_range_settings_are_a_400_naming_the_field(int latencyMs, double failureRate, string field)
    {
        var response = await _client.PutAsJsonAsync("/faults", new { latencyMs, failureRate });

        await ProblemAssert.IsValidationProblemAsync(response, field);
        Assert.Equal(new Faults(0, 0), await _client.GetFromJsonAsync<Faults>("/faults"));
    }

    private async Task<TimeSpan> MedianAsync(string path)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            (await _client.GetAsync(path)).EnsureSuccessStatusCode();
            times.Add(clock.Elapsed);
        }

        return times.Order().ElementAt(1);
    }

    private sealed record Faults(int LatencyMs, double FailureRate);
}
