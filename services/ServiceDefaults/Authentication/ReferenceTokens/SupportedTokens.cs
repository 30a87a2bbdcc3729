using Microsoft.AspNetCore.Http;

namespace MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;

/// <summary>
/// Which access tokens a validator accepts, as IdentityServer4.AccessTokenValidation's <c>SupportedTokens</c>:
/// self-contained JWTs checked locally with the issuer's keys, reference tokens (opaque handles) checked at the
/// issuer's introspection endpoint (RFC 7662), or both, told apart by their shape.
/// </summary>
public enum SupportedTokens
{
    Jwt,
    Reference,
    Both,
}

public static class TokenShape
{
    /// <summary>A JWS in compact form (RFC 7515 §7.1) has three dot-separated parts; a reference handle has none.</summary>
    public static bool IsJwt(string token) => token.AsSpan().Count('.') == 2;

    /// <summary>The token of an <c>Authorization: Bearer</c> header (RFC 6750 §2.1), or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7
            ? header[7..].Trim()
            : null;
    }

    /// <summary>Whether the token goes to introspection rather than to local JWT validation.</summary>
    public static bool NeedsIntrospection(SupportedTokens supported, string? token) => supported switch
    {
        SupportedTokens.Reference => true,
        SupportedTokens.Both => token is not null && !IsJwt(token),
        _ => false,
    };
}
