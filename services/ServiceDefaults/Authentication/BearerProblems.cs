using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>
/// The answers of a refused bearer token as problem+json, with the <c>WWW-Authenticate</c> header of RFC 6750 §3:
/// one wording for JWTs (<see cref="ProblemDetailsBearerEvents"/>) and reference tokens (<see cref="ReferenceTokens.ReferenceTokenHandler"/>).
/// </summary>
internal static class BearerProblems
{
    /// <summary>503, not 401, when the token service cannot be asked: the token may be fine and the client should retry rather than fetch a new one.</summary>
    public static Task UnavailableAsync(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "30";
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The token service is unavailable", detail: detail)
            .ExecuteAsync(context);
    }

    /// <summary>error="invalid_token" only when a token was sent (RFC 6750 §3.1): a missing token gets a bare challenge.</summary>
    public static Task UnauthorizedAsync(HttpContext context, string? description)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = description is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{description}\"";

        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Authentication required",
            detail: description is null
                ? "Send an access token from the MicroDemo token service: Authorization: Bearer <token>."
                : $"The access token was refused: {description}.")
            .ExecuteAsync(context);
    }

    public static Task ForbiddenAsync(HttpContext context) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: "The access token is valid but does not grant access to this endpoint.")
            .ExecuteAsync(context);
}
