using System.Security.Claims;
using MicroDemo.Orders.UsersService;
using MicroDemo.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace MicroDemo.Orders.Orders;

public static class OrdersEndpoints
{
    /// <summary>The header the gateway fills with the caller's subject claim.</summary>
    public const string CreatedByHeader = "X-Created-By";

    /// <summary>
    /// <c>/orders</c>: reads need the <c>orders.read</c> scope, writes <c>orders.write</c>.
    /// </summary>
    public static RouteGroupBuilder MapOrdersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var orders = endpoints.MapGroup("/orders").WithTags("Orders");
        orders.MapGet("/", ListAsync).WithName("ListOrders").RequireScope("orders.read");
        orders.MapGet("/{id:long}", GetAsync).WithName("GetOrder").RequireScope("orders.read");
        orders.MapPost("/", CreateAsync).WithName("CreateOrder").RequireScope("orders.write");
        orders.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteOrder").RequireScope("orders.write");
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

        // The gateway turns the token's subject into X-Created-By (ocelot.json: AddHeadersToRequest). The service
        // validates the token too, so a header that contradicts it is refused rather than trusted.
        var subject = caller.Identity?.IsAuthenticated == true ? caller.FindFirstValue("sub") : null;
        var stamped = http.Headers[CreatedByHeader].ToString();
        if (stamped.Length > 0 && subject is not null && stamped != subject)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Creator mismatch",
                detail: $"{CreatedByHeader} does not match the token's subject.");
        }

        var createdBy = stamped.Length > 0 ? stamped : subject;
        var order = await store.CreateAsync(userId, request.Product!.Trim(), request.Quantity!.Value, createdBy, cancellationToken);
        return TypedResults.Created($"/orders/{order.Id}", order);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, OrderStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found", detail: $"No order has id {id}.");
}
