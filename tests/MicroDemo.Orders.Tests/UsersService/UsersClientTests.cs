using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.Testing;

namespace MicroDemo.Orders.Tests.UsersService;

/// <summary>How creating an order copes with the users service: found through a real Consul agent, called through the retry pipeline.</summary>
public sealed class UsersClientTests : IAsyncLifetime
{
    // Three attempts with 200 ms and 400 ms backoff take well under this even on a loaded machine.
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);

    private readonly ConsulAgent _consul = new();

    public Task InitializeAsync() => _consul.InitializeAsync();

    public Task DisposeAsync() => _consul.DisposeAsync();

    [Fact]
    public async Task A_transient_500_is_retried()
    {
        await using var users = await UsersStandIn.StartAsync(_consul, "users-flaky");
        using var orders = new OrdersApiFactory(_consul.Url, "users-flaky");
        users.FailNext(1);

        var response = await orders.CreateClient().PostAsJsonAsync("/orders", new { userId = 1, product = "pen", quantity = 1 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, users.Requests.Count);
    }

    [Fact]
    public async Task Users_failing_every_attempt_is_a_503_after_three_attempts()
    {
        await using var users = await UsersStandIn.StartAsync(_consul, "users-broken");
        using var orders = new OrdersApiFactory(_consul.Url, "users-broken");
        users.FailNext(int.MaxValue);

        var response = await orders.CreateClient().PostAsJsonAsync("/orders", new { userId = 1, product = "pen", quantity = 1 });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(3, users.Requests.Count);
    }

    [Fact]
    public async Task A_hanging_instance_times_out_per_attempt_and_is_a_503()
    {
        await using var users = await UsersStandIn.StartAsync(_consul, "users-hanging");
        using var orders = new OrdersApiFactory(_consul.Url, "users-hanging");
        var client = orders.CreateClient();
        users.Hang();

        var clock = Stopwatch.StartNew();
        var response = await client.PostAsJsonAsync("/orders", new { userId = 1, product = "pen", quantity = 1 });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(3, users.Requests.Count);
        // Three 2 s attempts plus backoff; far below HttpClient's own 100 s default.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task No_healthy_instance_is_a_503_at_once()
    {
        using var orders = new OrdersApiFactory(_consul.Url, "users-nowhere");

        await AssertOrderIsAQuick503Async(orders);
    }

    [Fact]
    public async Task An_instance_that_is_down_is_a_503_within_the_retry_budget()
    {
        // Registered without a check, so Consul keeps listing it although nothing listens on the port.
        await _consul.Client.RegisterAsync(
            new ConsulServiceRegistration { ID = "users-dead", Name = "users-dead", Address = "127.0.0.1", Port = FreePorts.Next() },
            CancellationToken.None);
        using var orders = new OrdersApiFactory(_consul.Url, "users-dead");

        await AssertOrderIsAQuick503Async(orders);
    }

    // A new order is answered 503 problem+json, within the bounded time: never a hang on an unreachable users service.
    private static async Task AssertOrderIsAQuick503Async(OrdersApiFactory orders)
    {
        var clock = Stopwatch.StartNew();
        var response = await orders.CreateClient().PostAsJsonAsync("/orders", new { userId = 1, product = "pen", quantity = 1 });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(clock.Elapsed < Bounded, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Consul_being_down_is_a_503()
    {
        using var orders = new OrdersApiFactory(new Uri($"http://127.0.0.1:{FreePorts.Next()}/"));

        var response = await orders.CreateClient().PostAsJsonAsync("/orders", new { userId = 1, product = "pen", quantity = 1 });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
    }
}
