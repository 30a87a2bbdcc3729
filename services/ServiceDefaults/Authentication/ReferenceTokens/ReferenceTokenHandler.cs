using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;

public sealed class ReferenceTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>Set by the registration: one introspector (and so one cache) per scheme.</summary>
    public TokenIntrospector? Introspector { get; set; }
}

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> reference tokens through <see cref="TokenIntrospector"/>. The principal
/// carries the introspection answer's claims under their own names (sub, client_id, scope, role), as JwtBearer does
/// with <c>MapInboundClaims = false</c>, so scope and claim checks read the same names for both kinds of token.
/// </summary>
public sealed class ReferenceTokenHandler(IOptionsMonitor<ReferenceTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ReferenceTokenOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenShape.BearerToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var introspector = Options.Introspector ?? throw new InvalidOperationException($"The reference token scheme '{Scheme.Name}' has no introspector.");
        var result = await introspector.IntrospectAsync(token, Context.RequestAborted);
        return result.Status switch
        {
            IntrospectionStatus.Active => AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity(result.Claims, Scheme.Name, "name", "role")), Scheme.Name)),
            IntrospectionStatus.Inactive => AuthenticateResult.Fail(new InactiveTokenException()),
            _ => AuthenticateResult.Fail(new IntrospectionUnavailableException()),
        };
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        await (failure is IntrospectionUnavailableException
            ? BearerProblems.UnavailableAsync(Context, "The token service could not be asked about the access token; try again later.")
            : BearerProblems.UnauthorizedAsync(Context, failure is null ? null : TokenFailureDescription.Of(failure)));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => BearerProblems.ForbiddenAsync(Context);
}
