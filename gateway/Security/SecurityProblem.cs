using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// A problem+json answer from a security step that names the route and, for bearer failures,
/// carries the RFC 6750 <c>WWW-Authenticate</c> challenge (Ocelot answers with an empty body).
/// </summary>
public sealed class SecurityProblem : IResult, IStatusCodeHttpResult
{
    private readonly ProblemHttpResult _problem;

    private SecurityProblem(int status, string title, string route, string detail, string? challenge)
    {
        _problem = TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            extensions: new Dictionary<string, object?> { ["route"] = route });
        Challenge = challenge;
    }

    public int? StatusCode => _problem.StatusCode;

    public string? Detail => _problem.ProblemDetails.Detail;

    /// <summary>The <c>WWW-Authenticate</c> value sent with the problem, if any.</summary>
    public string? Challenge { get; }

    public static SecurityProblem MissingToken(string route) =>
        new(StatusCodes.Status401Unauthorized, "Unauthorized", route,
            $"Route '{route}' requires a bearer token and none was sent.", "Bearer");

    public static SecurityProblem InvalidToken(string route, string description) =>
        new(StatusCodes.Status401Unauthorized, "Unauthorized", route,
            $"Route '{route}' rejected the bearer token: {description}.",
            $"Bearer error=\"invalid_token\", error_description=\"{description}\"");

    public static SecurityProblem IssuerUnavailable(string route, string providerKey) =>
        new(StatusCodes.Status503ServiceUnavailable, "Token issuer unavailable", route,
            $"Route '{route}' could not check the bearer token: the issuer of provider '{providerKey}' cannot be reached.", null);

    public static SecurityProblem InsufficientScope(string route, IReadOnlyList<string> allowedScopes) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", route,
            $"Route '{route}' needs one of the scopes: {string.Join(' ', allowedScopes)}.",
            $"Bearer error=\"insufficient_scope\", scope=\"{string.Join(' ', allowedScopes)}\"");

    public static SecurityProblem Forbidden(string route, string reason) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", route, $"Route '{route}' refused the request: {reason}.", null);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (Challenge is not null)
        {
            httpContext.Response.Headers.WWWAuthenticate = Challenge;
        }

        return _problem.ExecuteAsync(httpContext);
    }
}
