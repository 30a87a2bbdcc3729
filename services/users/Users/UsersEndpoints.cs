using MicroDemo.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroDemo.Users.Users;

public static class UsersEndpoints
{
    /// <summary>
    /// CRUD on <c>/users</c>. Returns the group so the caller can protect it in one line,
    /// e.g. <c>app.MapUsersEndpoints().RequireAuthorization("users.read")</c>.
    /// </summary>
    public static RouteGroupBuilder MapUsersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var users = endpoints.MapGroup("/users").WithTags("Users");
        users.MapGet("/", ListAsync).WithName("ListUsers").RequireScope("users.read");
        users.MapGet("/{id:long}", GetAsync).WithName("GetUser").RequireScope("users.read");
        users.MapPost("/", CreateAsync).WithName("CreateUser").RequireScope("users.write");
        users.MapPut("/{id:long}", UpdateAsync).WithName("UpdateUser").RequireScope("users.write");
        // ocelot.json lets only role admin delete through the gateway; the service holds the same line for direct calls.
        users.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteUser").RequireScope("users.write").RequireTokenRole("admin");
        return users;
    }

    private static async Task<Ok<IReadOnlyList<User>>> ListAsync(UserStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken));

    private static async Task<Results<Ok<User>, ProblemHttpResult>> GetAsync(long id, UserStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } user ? TypedResults.Ok(user) : NotFound(id);

    private static async Task<Results<Created<User>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        UserRequest request, UserStore store, CancellationToken cancellationToken)
    {
        if (request.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            var user = await store.CreateAsync(request.Name!.Trim(), request.Email!.Trim(), cancellationToken);
            return TypedResults.Created($"/users/{user!.Id}", user);
        }
        catch (DuplicateEmailException)
        {
            return DuplicateEmail(request.Email!);
        }
    }

    private static async Task<Results<Ok<User>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, UserRequest request, UserStore store, CancellationToken cancellationToken)
    {
        if (request.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            return await store.UpdateAsync(id, request.Name!.Trim(), request.Email!.Trim(), cancellationToken) is { } user
                ? TypedResults.Ok(user)
                : NotFound(id);
        }
        catch (DuplicateEmailException)
        {
            return DuplicateEmail(request.Email!);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, UserStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found", detail: $"No user has id {id}.");

    private static ProblemHttpResult DuplicateEmail(string email) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email already used",
            detail: $"Another user already has the email '{email.Trim()}'.");
}
