using System.Net;
using System.Net.Http.Json;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Services;

/// <summary>Orders finds users through Consul, with no address configured: real processes, real agent.</summary>
public sealed class OrdersToUsersDiscoveryTests(ConsulAgent consul) : IClassFixture<ConsulAgent>, IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private AppProcess _users = null!;
    private AppProcess _orders = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _users = AppProcess.Start(MicroDemoApps.Users, ServiceSettings.For("users", consul.Url, _data.File("users.db")));
        _orders = AppProcess.Start(MicroDemoApps.Orders, ServiceSettings.For("orders", consul.Url, _data.File("orders.db")));
        _http = new HttpClient();
        await Task.WhenAll(_users.WaitUntilPassingAsync(consul.Client, "users"), _orders.WaitUntilPassingAsync(consul.Client, "orders"));
    }

    [Fact]
    public async Task Order_for_an_existing_user_is_created()
    {
        var userId = await CreateUserAsync();

        using var response = await PlaceOrderAsync(userId);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await Explain(response));
        var order = await response.Content.ReadFromJsonAsync<OrderBody>();
        Assert.Equal(userId, order!.UserId);
    }

    [Fact]
    public async Task Order_for_a_missing_user_is_rejected_with_422()
    {
        using var response = await PlaceOrderAsync(userId: 987654);

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, await Explain(response));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Order_while_users_is_down_is_answered_503()
    {
        var userId = await CreateUserAsync();
        await _users.StopAsync();

        using var response = await PlaceOrderAsync(userId);

        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, await Explain(response));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _orders.DisposeAsync();
        await _users.DisposeAsync();
        _data.Dispose();
    }

    private async Task<long> CreateUserAsync()
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_users.Url, "users"), new { name = "Ada", email = $"ada-{Guid.NewGuid():N}@example.com" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await Explain(response));
        return (await response.Content.ReadFromJsonAsync<UserBody>())!.Id;
    }

    private Task<HttpResponseMessage> PlaceOrderAsync(long userId) =>
        _http.PostAsJsonAsync(new Uri(_orders.Url, "orders"), new { userId, product = "Keyboard", quantity = 1 });

    private async Task<string> Explain(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n--- orders output:\n{_orders.Output}";

    private sealed record UserBody(long Id);

    private sealed record OrderBody(long Id, long UserId);
}
