using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.Gateway.Security;

/// <summary>What the gateway makes of a token validation failure; its description is <see cref="TokenFailureDescription"/>'s, shared with the services.</summary>
internal static class TokenFailure
{
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
