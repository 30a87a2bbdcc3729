using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>Something the caller's access token must carry for an endpoint; checked by <see cref="TokenRequirementHandler"/>.</summary>
public abstract class TokenRequirement : IAuthorizationRequirement
{
    public abstract bool IsMetBy(ClaimsPrincipal user);
}

/// <summary>Met when the token's <c>scope</c> claim (space-separated, RFC 8693 §4.2) holds one of <see cref="Scopes"/>.</summary>
public sealed class ScopeRequirement(IReadOnlyList<string> scopes) : TokenRequirement
{
    public const string ClaimType = "scope";

    public IReadOnlyList<string> Scopes { get; } = scopes;

    // Several scope claims are accepted too: issuers that write scope as a JSON array produce one claim per scope.
    public override bool IsMetBy(ClaimsPrincipal user) =>
        user.FindAll(ClaimType)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Intersect(Scopes, StringComparer.Ordinal)
            .Any();

    public override string ToString() => $"Requires one of the scopes: {string.Join(' ', Scopes)}";
}

/// <summary>
/// Met when the token has a <c>role</c> claim equal to one of <see cref="Roles"/>: the rule a route's
/// <c>RouteClaimsRequirement</c> enforces at the gateway, enforced again by the service for callers that bypass it.
/// </summary>
public sealed class RoleRequirement(IReadOnlyList<string> roles) : TokenRequirement
{
    public const string ClaimType = "role";

    public IReadOnlyList<string> Roles { get; } = roles;

    public override bool IsMetBy(ClaimsPrincipal user) =>
        user.FindAll(ClaimType).Any(claim => Roles.Contains(claim.Value, StringComparer.Ordinal));

    public override string ToString() => $"Requires one of the roles: {string.Join(' ', Roles)}";
}

/// <summary>
/// Checks every <see cref="TokenRequirement"/>. With authentication off (no <c>Identity:Authority</c>) every requirement
/// is met, so a service started alone still answers.
/// </summary>
internal sealed class TokenRequirementHandler(IOptions<ServiceAuthenticationOptions> options) : AuthorizationHandler<TokenRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TokenRequirement requirement)
    {
        if (!options.Value.IsEnabled || (context.User.Identity?.IsAuthenticated == true && requirement.IsMetBy(context.User)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
