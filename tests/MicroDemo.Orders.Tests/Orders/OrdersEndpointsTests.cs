using System.Net.Http.Json;
using System.Net;
using MicroDemo.Testing;

namespace MicroDemo.Orders.Tests.Orders;

public sealed class OrdersEndpointsTests : IClassFixture<UsersInConsulFixture>, IDisposable
{
    private readonly UsersInConsulFixture _fixture;
    private readonly OrdersApiFactory _factory;
    private readonly HttpClient _client;

    public OrdersEndpointsTests(UsersInConsulFixture fixture)
    {
        _fixture = fixture;
        _factory = new OrdersApiFactory(fixture.Consul.Url);
        _client = _factory.CreateClient();
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Lists_the_seeded_orders_and_filters_by_user()
    {
        var all = await _client.GetFromJsonAsync<List<OrderDto>>("/orders");
        var bobs = await _client.GetFromJsonAsync<List<OrderDto>>("/orders?userId=2");

        Assert.Equal([(1L, 1L, "keyboard", 1), (2L, 2L, "monitor", 2)], all!.Select(o => (o.Id, o.UserId, o.Product, o.Quantity)));
        Assert.Equal([2L], bobs!.Select(o => o.Id));
    }

    [Fact]
    public async Task Gets_one_order_or_a_404_problem()
    {
        var found = await _client.GetAsync("/orders/1");
        var missing = await _client.GetAsync("/orders/999");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("keyboard", (await found.Content.ReadFromJsonAsync<OrderDto>())!.Product);
        Assert.Equal(OrdersApiFactory.ServedBy, Assert.Single(found.Headers.GetValues("X-Served-By")));
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Creates_an_order_for_an_existing_user_relaying_the_callers_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = JsonContent.Create(new { userId = 3, product = "lamp", quantity = 2 }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer token-for-users");
        _fixture.Users.Requests.Clear();

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<OrderDto>();
        Assert.Equal((3L, "lamp", 2, (string?)null), (order!.UserId, order.Product, order.Quantity, order.CreatedBy));
        Assert.Equal($"/orders/{order.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(order, await _client.GetFromJsonAsync<OrderDto>(response.Headers.Location));
        Assert.Equal(["Bearer token-for-users"], _fixture.Users.Requests);
    }

    [Fact]
    public async Task Unknown_user_is_a_422_problem_and_nothing_is_stored()
    {
        var response = await _client.PostAsJsonAsync("/orders", new { userId = 42, product = "lamp", quantity = 1 });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("userId", problem.GetProperty("field").GetString());
        Assert.Empty((await _client.GetFromJsonAsync<List<OrderDto>>("/orders?userId=42"))!);
    }

    [Theory]
    [InlineData(null, "lamp", 1, "userId")]
    [InlineData(0, "lamp", 1, "userId")]
    [InlineData(1, null, 1, "product")]
    [InlineData(1, " ", 1, "product")]
    [InlineData(1, "lamp", null, "quantity")]
    [InlineData(1, "lamp", 0, "quantity")]
    [InlineData(1, "lamp", -3, "quantity")]
    public async Task Invalid_order_is_a_400_naming_the_field_before_asking_users(int? userId, string? product, int? quantity, string field)
    {
        _fixture.Users.Requests.Clear();

        var response = await _client.PostAsJsonAsync("/orders", new { userId, product, quantity });

        await ProblemAssert.IsValidationProblemAsync(response, field);
        Assert.Empty(_fixture.Users.Requests);
    }

    [Fact]
    public async Task Deletes_an_order_once()
    {
        var first = await _client.DeleteAsync("/orders/2");
        var second = await _client.DeleteAsync("/orders/2");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_orders_endpoints()
    {
        var document = await _client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/orders\"", document);
        Assert.Contains("\"/orders/{id}\"", document);
    }

    private sealed record OrderDto(long Id, long UserId, string Product, int Quantity, DateTimeOffset CreatedAt, string? CreatedBy);
}
