using System.Net;

namespace MicroDemo.Identity.Token;

/// <summary>
/// A token endpoint error (RFC 6749 §5.2). The token endpoint answers with this JSON shape rather than
/// problem+json because OAuth clients parse <c>error</c> and <c>error_description</c>.
/// </summary>
public sealed record OAuthError(string Error, string Description, HttpStatusCode Status)
{
    /// <summary>The realm of the Basic challenge sent with <c>invalid_client</c>.</summary>
    public const string Realm = "MicroDemo Identity";

    public static OAuthError InvalidRequest(string description) => new("invalid_request", description, HttpStatusCode.BadRequest);

    /// <summary>
    /// 401 with a Basic challenge whichever way the client authenticated: RFC 6749 §5.2 requires the
    /// challenge when Basic was used, and RFC 9110 §15.5.2 requires one on every 401, so it is always sent.
    /// </summary>
    public static OAuthError InvalidClient(string description) => new("invalid_client", description, HttpStatusCode.Unauthorized);

    public static OAuthError InvalidGrant(string description) => new("invalid_grant", description, HttpStatusCode.BadRequest);

    public static OAuthError UnauthorizedClient(string description) => new("unauthorized_client", description, HttpStatusCode.BadRequest);

    public static OAuthError UnsupportedGrantType(string description) => new("unsupported_grant_type", description, HttpStatusCode.BadRequest);

    public static OAuthError InvalidScope(string description) => new("invalid_scope", description, HttpStatusCode.BadRequest);

    /// <summary>
    /// Makes a value from the request safe to echo in <c>error_description</c>, which RFC 6749 §5.2 limits to
    /// printable ASCII without quote or backslash.
    /// </summary>
    public static string Echo(string value) =>
        string.Concat(value.Take(64).Select(c => c is >= '\x20' and <= '\x7E' and not '"' and not '\\' ? c : '?'));

    public IResult ToResult(HttpResponse response)
    {
        if (Status == HttpStatusCode.Unauthorized)
        {
            response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
        }

        return TypedResults.Json(new TokenErrorResponse(Error, Description), IdentityJsonContext.Default.TokenErrorResponse, statusCode: (int)Status);
    }
}
