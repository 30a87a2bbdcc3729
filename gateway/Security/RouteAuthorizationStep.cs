using System.Security.Claims;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// Runs right after <see cref="RouteAuthenticationStep"/>: adds the route's <c>AddClaimsToRequest</c> claims,
/// then checks <c>AllowedScopes</c> and <c>RouteClaimsRequirement</c>. Every refusal is a 403.
/// </summary>
public sealed class RouteAuthorizationStep(ILogger<RouteAuthorizationStep> logger)
{
    private const string ScopeClaimType = "scope";

    /// <param name="placeholders">Values the route template captured from the URL, keyed by name (with or without braces).</param>
    public SecurityOutcome Authorize(HttpContext context, string route, RouteAuthOptions options, IReadOnlyDictionary<string, string> placeholders)
    {
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            return SecurityOutcome.Continue;
        }

        var user = context.User;
        if (options.AddClaimsToRequest.Count > 0)
        {
            // The authenticated principal may be shared by every request of its token (AcceptedTokenCache): change a copy.
            user = new ClaimsPrincipal(user.Identities.Select(identity => identity.Clone()));
            context.User = user;
        }

        foreach (var (claimType, expression) in options.AddClaimsToRequest)
        {
            if (!expression.TryResolve(user, out var value, out var reason))
            {
                return Forbid(route, $"AddClaimsToRequest '{claimType}' failed: {reason}");
            }

            ReplaceClaim(user, claimType, value);
        }

        if (options.RequiresAuthentication && options.AllowedScopes.Count > 0 && !HasAllowedScope(user, options.AllowedScopes))
        {
            Log.Forbidden(logger, route, "no allowed scope");
            return SecurityOutcome.Reject(SecurityProblem.InsufficientScope(route, options.AllowedScopes));
        }

        foreach (var (claimType, required) in options.ClaimsRequirement)
        {
            if (FindUnmetRequirement(user, claimType, required, placeholders) is { } reason)
            {
                return Forbid(route, reason);
            }
        }

        return SecurityOutcome.Continue;
    }

    private SecurityOutcome Forbid(string route, string reason)
    {
        Log.Forbidden(logger, route, reason);
        return SecurityOutcome.Reject(SecurityProblem.Forbidden(route, reason));
    }

    // Scopes arrive as one space-separated claim (RFC 8693 / OAuth) or as several claims; accept both.
    private static bool HasAllowedScope(ClaimsPrincipal user, IReadOnlyList<string> allowedScopes) =>
        user.FindAll(ScopeClaimType)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(scope => allowedScopes.Contains(scope, StringComparer.Ordinal));

    private static string? FindUnmetRequirement(
        ClaimsPrincipal user, string claimType, string required, IReadOnlyDictionary<string, string> placeholders)
    {
        var values = user.FindAll(claimType).Select(claim => claim.Value).ToList();
        if (values.Count == 0)
        {
            return $"the user has no '{claimType}' claim";
        }

        var expected = required;
        if (required.Length > 2 && required[0] == '{' && required[^1] == '}')
        {
            var name = required[1..^1];
            if (!placeholders.TryGetValue(name, out expected!) && !placeholders.TryGetValue(required, out expected!))
            {
                return $"the '{claimType}' claim must match {required}, which this request's URL does not provide";
            }
        }

        return values.Contains(expected, StringComparer.Ordinal)
            ? null
            : $"the '{claimType}' claim does not have the value this route requires";
    }

    private static void ReplaceClaim(ClaimsPrincipal user, string claimType, string value)
    {
        var identity = user.Identities.FirstOrDefault();
        if (identity is null)
        {
            identity = new ClaimsIdentity();
            user.AddIdentity(identity);
        }

        foreach (var existing in identity.FindAll(claimType).ToList())
        {
            identity.TryRemoveClaim(existing);
        }

        identity.AddClaim(new Claim(claimType, value));
    }
}
