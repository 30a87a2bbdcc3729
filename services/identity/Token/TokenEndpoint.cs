using System.Net.Http.Headers;
using MicroDemo.Identity.Clients;
using MicroDemo.Identity.Options;
using MicroDemo.Identity.Users;

namespace MicroDemo.Identity.Token;

/// <summary>
/// <c>POST /connect/token</c> (RFC 6749 §3.2). Checks run from the cheapest to the most expensive, so a
/// malformed request never costs a PBKDF2 comparison.
/// </summary>
public sealed partial class TokenEndpoint(ClientStore clients, UserStore users, AccessTokenIssuer issuer, ILogger<TokenEndpoint> logger)
{
    public const string Path = "/connect/token";

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        // RFC 6749 §5.1: token responses, errors included, must not be cached.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";

        var (form, formError) = await ReadFormAsync(context.Request);
        if (formError is not null)
        {
            return Reject(context, clientId: null, formError);
        }

        string? grantType = form["grant_type"];
        if (string.IsNullOrEmpty(grantType))
        {
            return Reject(context, clientId: null, OAuthError.InvalidRequest("The grant_type parameter is missing."));
        }

        if (!ClientCredentials.TryRead(context.Request, form, out var credentials, out var credentialsError))
        {
            return Reject(context, clientId: null, credentialsError);
        }

        var client = clients.Authenticate(credentials);
        if (client is null)
        {
            return Reject(context, credentials.ClientId, OAuthError.InvalidClient("Client authentication failed."));
        }

        if (!GrantTypes.Supported.Contains(grantType))
        {
            return Reject(context, client.ClientId, OAuthError.UnsupportedGrantType($"The grant type '{OAuthError.Echo(grantType)}' is not supported; use one of: {string.Join(", ", GrantTypes.Supported)}."));
        }

        if (!client.AllowedGrantTypes.Contains(grantType))
        {
            return Reject(context, client.ClientId, OAuthError.UnauthorizedClient($"The client may not use the '{grantType}' grant."));
        }

        RegisteredUser? user = null;
        string? userName = form["username"];
        string? password = form["password"];
        if (grantType == GrantTypes.Password && (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password)))
        {
            return Reject(context, client.ClientId, OAuthError.InvalidRequest("The password grant needs the username and password parameters."));
        }

        if (!ScopeSet.TryResolve(form["scope"], client, out var scopes, out var scopeError))
        {
            return Reject(context, client.ClientId, scopeError);
        }

        if (grantType == GrantTypes.Password)
        {
            user = users.Authenticate(userName!, password!);
            if (user is null)
            {
                return Reject(context, client.ClientId, OAuthError.InvalidGrant("The user name or password is incorrect."));
            }
        }

        var response = issuer.Issue(client, user, scopes);
        LogTokenIssued(logger, client.ClientId, grantType, response.Scope);
        return TypedResults.Json(response, IdentityJsonContext.Default.TokenResponse);
    }

    private static async Task<(IFormCollection Form, OAuthError? Error)> ReadFormAsync(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (FormCollection.Empty, OAuthError.InvalidRequest("The request body must be application/x-www-form-urlencoded."));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return (FormCollection.Empty, OAuthError.InvalidRequest("The request body is not a valid form or is too large."));
        }

        // RFC 6749 §3.2: parameters must not be repeated; a second value would make the request ambiguous.
        var repeated = form.FirstOrDefault(parameter => parameter.Value.Count > 1).Key;
        return repeated is null
            ? (form, null)
            : (form, OAuthError.InvalidRequest($"The parameter '{OAuthError.Echo(repeated)}' is given more than once."));
    }

    private IResult Reject(HttpContext context, string? clientId, OAuthError error)
    {
        LogTokenRequestRejected(logger, clientId ?? "(none)", error.Error);
        return error.ToResult(context.Response);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued a token to client {ClientId} ({GrantType}, scope '{Scope}')")]
    private static partial void LogTokenIssued(ILogger logger, string clientId, string grantType, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a token request from client {ClientId}: {Error}")]
    private static partial void LogTokenRequestRejected(ILogger logger, string clientId, string error);
}
