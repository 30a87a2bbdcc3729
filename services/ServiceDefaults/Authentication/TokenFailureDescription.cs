using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>
/// Turns a token validation exception into a short, fixed <c>error_description</c> (RFC 6750 §3), for the gateway
/// and the services alike. The exception's own message can carry internals (key ids, issuer lists, IDX codes), so it
/// is never sent to the client; JwtBearer's own description is empty for several failures, a wrong <c>typ</c> among them.
/// </summary>
public static class TokenFailureDescription
{
    public static string Of(Exception? failure) => failure switch
    {
        AggregateException { InnerExceptions.Count: > 0 } many => Of(many.InnerExceptions[0]),
        SecurityTokenExpiredException => "The token expired",
        SecurityTokenNotYetValidException => "The token is not valid yet",
        SecurityTokenNoExpirationException => "The token has no expiration time",
        SecurityTokenInvalidLifetimeException => "The token lifetime is invalid",
        SecurityTokenInvalidAudienceException => "The token audience is invalid",
        SecurityTokenInvalidIssuerException => "The token issuer is invalid",
        SecurityTokenInvalidTypeException => "The token type (typ) is not accepted; send an access token (at+jwt)",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with an unknown key",
        SecurityTokenInvalidSignatureException => "The token signature is invalid",
        SecurityTokenMalformedException or ArgumentException => "The token is malformed",
        ReferenceTokens.InactiveTokenException => "The token is not active: it is unknown, revoked or expired",
        _ => "The token is invalid",
    };
}
