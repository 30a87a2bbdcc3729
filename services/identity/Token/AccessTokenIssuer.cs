using MicroDemo.Identity.Clients;
using MicroDemo.Identity.Keys;
using MicroDemo.Identity.Options;
using MicroDemo.Identity.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.Identity.Token;

/// <summary>Creates JWT access tokens in the shape of RFC 9068 (<c>typ: at+jwt</c>), signed with the active key.</summary>
public sealed class AccessTokenIssuer(IOptions<IdentityServiceOptions> options, SigningKeyRing keys, TimeProvider time)
{
    public const string TokenType = "Bearer";

    // Times are set below from TimeProvider, not by the handler from the system clock.
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TokenResponse Issue(RegisteredClient client, RegisteredUser? user, IReadOnlyList<string> scopes)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = options.Value.TokenLifetime;
        var scope = string.Join(' ', scopes);

        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = user?.SubjectId ?? client.ClientId,
            ["client_id"] = client.ClientId,
            ["scope"] = scope,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };

        if (user is not null)
        {
            claims[JwtRegisteredClaimNames.Name] = user.Name ?? user.UserName;
            claims["preferred_username"] = user.UserName;
            if (user.Email is not null)
            {
                claims[JwtRegisteredClaimNames.Email] = user.Email;
            }

            if (user.Roles.Count > 0)
            {
                claims["role"] = user.Roles;
            }
        }

        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = keys.Active.Credentials,
        };

        return new TokenResponse(_handler.CreateToken(descriptor), TokenType, (int)lifetime.TotalSeconds, scope);
    }
}
