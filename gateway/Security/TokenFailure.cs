using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// Turns a token validation exception into a short, fixed <c>error_description</c>. The exception's own
/// message can carry internals (key ids, issuer lists, IDX codes), so it is never sent to the client.
/// </summary>
internal static class TokenFailure
{
    public static string Describe(Exception? failure) => failure switch
    {
        AggregateException { InnerExceptions.Count: > 0 } many => Describe(many.InnerExceptions[0]),
        SecurityTokenExpiredException => "The token expired",
        SecurityTokenNotYetValidException => "The token is not valid yet",
        SecurityTokenNoExpirationException => "The token has no expiration time",
        SecurityTokenInvalidLifetimeException => "The token lifetime is invalid",
        SecurityTokenInvalidAudienceException => "The token audience is invalid",
        SecurityTokenInvalidIssuerException => "The token issuer is invalid",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with an unknown key",
        SecurityTokenInvalidSignatureException => "The token signature is invalid",
        SecurityTokenMalformedException or ArgumentException => "The token is malformed",
        _ => "The token is invalid",
    };

    /// <summary>
    /// True for failures that missing issuer metadata also causes (no keys, no issuer to compare with),
    /// as opposed to faults of the token itself such as a malformed token.
    /// </summary>
    public static bool CouldBeMissingMetadata(Exception? failure) => failure switch
    {
        AggregateException { InnerExceptions.Count: > 0 } many => many.InnerExceptions.Any(CouldBeMissingMetadata),
        SecurityTokenInvalidSignatureException or SecurityTokenInvalidIssuerException => true,
        _ => false,
    };
}
