using System.Diagnostics;
using System.Globalization;
using System.Net;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Policies.OcelotJson;

namespace MicroDemo.Gateway.Tests.Policies;

/// <summary>Route rate limiting end to end: real gateway, real downstream, real sockets.</summary>
public sealed class RateLimitingTests : IAsyncLifetime
{
    private static readonly (string, string) Alice = ("Oc-Client", "alice");
    private Downstream _downstream = null!;

    public async Task InitializeAsync() => _downstream = await Downstream.StartAsync();

    public async Task DisposeAsync() => await _downstream.DisposeAsync();

    [Fact]
    public async Task Window_admits_Limit_requests_then_answers_429_with_the_quota_message_until_the_period_ends()
    {
        await using var gateway = Start(new { RateLimitOptions = new { Limit = 2, Period = "2s" } });
        await WarmUpAsync(gateway);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await gateway.Client.GetAsync("/rl/items", Alice);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using (var blocked = await gateway.Client.GetAsync("/rl/items", Alice))
        {
            var problem = await Problem.ReadAsync(blocked, HttpStatusCode.TooManyRequests);
            Assert.Equal("API calls quota exceeded! Maximum admitted 2 per 2s.", problem.Detail);
            Assert.Equal(RouteName("/rl"), problem.Route);
            Assert.InRange(RetryAfterSeconds(blocked), 1, 2);
        }

        Assert.Equal(3, _downstream.Requests);

        using var again = await Eventually.MatchAsync(() => gateway.Client.GetAsync("/rl/items", Alice),
            response => response.StatusCode == HttpStatusCode.OK, "the next window admits the client again");
        // The window started no earlier than the first request, so it cannot have ended before Period.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2) - ClockTolerance, $"admitted again after {clock.Elapsed}");
        Assert.Equal(4, _downstream.Requests);
    }

    [Fact]
    public async Task Wait_bans_the_client_beyond_the_period_until_the_wait_has_elapsed()
    {
        await using var gateway = Start(new { RateLimitOptions = new { Limit = 1, Period = "1s", Wait = "3s" } });
        await WarmUpAsync(gateway);
        var clock = Stopwatch.StartNew();
        using (var first = await gateway.Client.GetAsync("/rl/items", Alice))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var exceeded = clock.Elapsed;
        using (var blocked = await gateway.Client.GetAsync("/rl/items", Alice))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
            Assert.Equal(3, RetryAfterSeconds(blocked)); // measured from the moment the limit was exceeded
        }

        // The one-second window (started before the limit was exceeded) is over; the ban is not.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using (var stillBanned = await gateway.Client.GetAsync("/rl/items", Alice))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, stillBanned.StatusCode);
            Assert.InRange(RetryAfterSeconds(stillBanned), 1, 2);
        }

        using var admitted = await Eventually.MatchAsync(() => gateway.Client.GetAsync("/rl/items", Alice),
            response => response.StatusCode == HttpStatusCode.OK, "the ban ends");
        Assert.True(clock.Elapsed - exceeded >= TimeSpan.FromSeconds(3) - ClockTolerance, $"admitted {clock.Elapsed - exceeded} after the limit was exceeded");
        Assert.Equal(3, _downstream.Requests);
    }

    [Fact]
    public async Task Allowed_responses_carry_X_RateLimit_headers_and_blocked_ones_only_Retry_After()
    {
        await using var gateway = Start(new { RateLimitOptions = new { Limit = 3, Period = "1m" } });
        var before = DateTimeOffset.UtcNow;

        foreach (var remaining in new[] { "2", "1", "0" })
        {
            using var allowed = await gateway.Client.GetAsync("/rl/items", Alice);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("3", allowed.Header("X-RateLimit-Limit"));
            Assert.Equal(remaining, allowed.Header("X-RateLimit-Remaining"));
            var reset = DateTimeOffset.Parse(allowed.Header("X-RateLimit-Reset")!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            Assert.InRange(reset, before.AddMinutes(1).AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(1).AddSeconds(1));
            Assert.Null(allowed.Header("Retry-After"));
        }

        using var blocked = await gateway.Client.GetAsync("/rl/items", Alice);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.DoesNotContain(blocked.Headers, header => header.Key.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase));
        Assert.InRange(RetryAfterSeconds(blocked), 1, 60);
    }

    [Theory]
    [InlineData("""{ "Limit": 1, "Period": "1m", "EnableHeaders": false }""")]
    [InlineData("""{ "Limit": 1, "Period": "1m", "DisableRateLimitHeaders": true }""")]
    public async Task Headers_switched_off_leave_out_X_RateLimit_and_Retry_After(string options)
    {
        await using var gateway = Start(new { RateLimitOptions = System.Text.Json.JsonDocument.Parse(options).RootElement });

        using var allowed = await gateway.Client.GetAsync("/rl/items", Alice);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.DoesNotContain(allowed.Headers, header => header.Key.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase));

        using var blocked = await gateway.Client.GetAsync("/rl/items", Alice);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Null(blocked.Headers.RetryAfter);
        Assert.DoesNotContain(blocked.Headers, header => header.Key.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Whitelisted_client_is_never_limited_while_others_are()
    {
        await using var gateway = Start(new { RateLimitOptions = new { Limit = 1, Period = "1m", ClientWhitelist = new[] { "vip" } } });

        for (var i = 0; i < 5; i++)
        {
            using var vip = await gateway.Client.GetAsync("/rl/items", ("Oc-Client", "vip"));
            Assert.Equal(HttpStatusCode.OK, vip.StatusCode);
        }

        using var first = await gateway.Client.GetAsync("/rl/items", Alice);
        using var second = await gateway.Client.GetAsync("/rl/items", Alice);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.TooManyRequests), (first.StatusCode, second.StatusCode));
        Assert.Equal(6, _downstream.Requests);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Missing_client_id_is_a_503_problem_naming_the_header_and_the_route(string? clientId)
    {
        await using var gateway = Start(new { RateLimitOptions = new { Limit = 5, Period = "1m" } });

        using var response = clientId is null
            ? await gateway.Client.GetAsync("/rl/items")
            : await gateway.Client.GetAsync("/rl/items", ("Oc-Client", clientId));

        var problem = await Problem.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(RouteName("/rl"), problem.Route);
        Assert.Contains("Oc-Client", problem.Detail);
        Assert.Contains(RouteName("/rl"), problem.Detail);
        Assert.Equal(0, _downstream.Requests);
    }

    [Fact]
    public async Task Custom_client_id_header_status_code_and_quota_message_are_used()
    {
        await using var gateway = Start(new
        {
            RateLimitOptions = new { Limit = 1, Period = "1m", ClientIdHeader = "X-Api-Key", StatusCode = 418, QuotaMessage = "Slow down: {0} per {1}" },
        });

        using (var wrongHeader = await gateway.Client.GetAsync("/rl/items", Alice))
        {
            Assert.Contains("X-Api-Key", (await Problem.ReadAsync(wrongHeader, HttpStatusCode.ServiceUnavailable)).Detail);
        }

        using (var allowed = await gateway.Client.GetAsync("/rl/items", ("X-Api-Key", "k1")))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var blocked = await gateway.Client.GetAsync("/rl/items", ("X-Api-Key", "k1"));
        Assert.Equal("Slow down: 1 per 1m", (await Problem.ReadAsync(blocked, (HttpStatusCode)418)).Detail);
    }

    [Fact]
    public async Task PartitionBy_ClientIp_counts_per_remote_address_and_ignores_the_client_header()
    {
        await using var gateway = Start(new { RateLimitOptions = new { Limit = 2, Period = "1m", PartitionBy = "ClientIp" } });

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { "a", "b", "c" })
        {
            using var response = await gateway.Client.GetAsync("/rl/items", ("Oc-Client", client));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);

        // Linux routes all of 127.0.0.0/8 to loopback, so a second source address is a second client.
        using var otherAddress = GatewayHost.NewClient(gateway.Address, LoopbackSource.Handler(IPAddress.Parse("127.0.0.2")));
        using var other = await otherAddress.GetAsync("/rl/items");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Counters_are_per_route_and_shared_by_all_paths_of_a_route()
    {
        var limit = new { RateLimitOptions = new { Limit = 1, Period = "1m" } };
        await using var gateway = GatewayHost.Start(Document(Route("/a", _downstream.Port, limit), Route("/b", _downstream.Port, limit)));

        using var a1 = await gateway.Client.GetAsync("/a/one", Alice);
        using var a2 = await gateway.Client.GetAsync("/a/two", Alice);
        using var b1 = await gateway.Client.GetAsync("/b/one", Alice);
        using var b2 = await gateway.Client.GetAsync("/b/one", Alice);

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            [a1.StatusCode, a2.StatusCode, b1.StatusCode, b2.StatusCode]);
    }

    [Fact]
    public async Task Concurrent_requests_of_one_client_get_exactly_Limit_successes()
    {
        await using var gateway = Start(new { RateLimitOptions = new { Limit = 10, Period = "1h" } });
        var responses = await Requests.BurstAsync(50, _ => gateway.Client.GetAsync("/rl/items", Alice));

        Assert.Equal(10, responses.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(40, responses.Count(status => status == HttpStatusCode.TooManyRequests));
        Assert.Equal(10, _downstream.Requests);
    }

    // Stopwatch and the gateway's UTC clock are different clocks; allow for their granularity.
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMilliseconds(100);

    /// <summary>A first request (of another client) compiles the gateway's code paths, so timed windows measure only the policy.</summary>
    private static async Task WarmUpAsync(GatewayHost gateway)
    {
        using var response = await gateway.Client.GetAsync("/rl/items", ("Oc-Client", "warm-up"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private GatewayHost Start(object routeOptions) => GatewayHost.Start(Document(Route("/rl", _downstream.Port, routeOptions)));

    /// <summary>Retry-After must be whole delay-seconds (RFC 9110), never a fraction or a date.</summary>
    private static int RetryAfterSeconds(HttpResponseMessage response)
    {
        var value = response.Header("Retry-After");
        Assert.NotNull(value);
        Assert.Matches("^[0-9]+$", value);
        return int.Parse(value, CultureInfo.InvariantCulture);
    }
}
