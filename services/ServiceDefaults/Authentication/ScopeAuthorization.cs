using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>Met when the token's <c>scope</c> claim (space-separated, RFC 8693 §4.2) holds one of <see cref="Scopes"/>.</summary>
public sealed class ScopeRequirement(IReadOnlyList<string> scopes) : IAuthorizationRequirement
{
    public const string ClaimType = "scope";

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public override string ToString() => $"Requires one of the scopes: {string.Join(' ', Scopes)}";
}

/// <summary>
/// Checks <see cref="ScopeRequirement"/>. With authentication off (no <c>Identity:Authority</c>) every requirement
/// is met, so a service started alone still answers.
/// </summary>
internal sealed class ScopeAuthorizationHandler(IOptions<ServiceAuthenticationOptions> options) : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (!options.Value.IsEnabled || HasAnyScope(context, requirement))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    // Several scope claims are accepted too: issuers that write scope as a JSON array produce one claim per scope.
    private static bool HasAnyScope(AuthorizationHandlerContext context, ScopeRequirement requirement) =>
        context.User.Identity?.IsAuthenticated == true
        && context.User.FindAll(ScopeRequirement.ClaimType)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Intersect(requirement.Scopes, StringComparer.Ordinal)
            .Any();
}
