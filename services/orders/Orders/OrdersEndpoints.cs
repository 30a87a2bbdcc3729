using System.Security.Claims;
using MicroDemo.Orders.UsersService;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace MicroDemo.Orders.Orders;

public static class OrdersEndpoints
{
    /// <summary>
    /// <c>/orders</c>. Returns the group so the caller can protect it in one line,
    /// e.g. <c>app.MapOrdersEndpoints().RequireAuthorization("orders.read")</c>.
    /// </summary>
    public static RouteGroupBuilder MapOrdersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var orders = endpoints.MapGroup("/orders").WithTags("Orders");
        orders.MapGet("/", ListAsync).WithName("ListOrders");
        orders.MapGet("/{id:long}", GetAsync).WithName("GetOrder");
        orders.MapPost("/", CreateAsync).WithName("CreateOrder");
        orders.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteOrder");
        return orders;
    }

    private static async Task<Ok<IReadOnlyList<Order>>> ListAsync(long? userId, OrderStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(userId, cancellationToken));

    private static async Task<Results<Ok<Order>, ProblemHttpResult>> GetAsync(long id, OrderStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } order ? TypedResults.Ok(order) : NotFound(id);

    private static async Task<Results<Created<Order>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        OrderRequest request, HttpRequest http, ClaimsPrincipal caller, UsersClient users, OrderStore store, CancellationToken cancellationToken)
    {
        if (request.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var userId = request.UserId!.Value;
        switch (await users.CheckUserAsync(userId, http.Headers[HeaderNames.Authorization], cancellationToken))
        {
            case UserCheck.NotFound:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown user",
                    detail: $"The users service knows no user with id {userId}.",
                    extensions: new Dictionary<string, object?> { ["field"] = "userId" });
            case UserCheck.Unavailable:
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Users service unavailable",
                    detail: "The order was not created: the users service could not confirm the user. Try again later.");
        }

        // Null until authentication is on; then the token's subject records who placed the order.
        var createdBy = caller.Identity?.IsAuthenticated == true ? caller.FindFirstValue("sub") : null;
        var order = await store.CreateAsync(userId, request.Product!.Trim(), request.Quantity!.Value, createdBy, cancellationToken);
        return TypedResults.Created($"/orders/{order.Id}", order);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, OrderStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found", detail: $"No order has id {id}.");
}
