using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>
/// Names the missing scopes on a 403 (RFC 6750 §3.1: <c>Bearer error="insufficient_scope", scope="..."</c>),
/// then lets the framework's handler answer as usual.
/// </summary>
internal sealed class ScopeChallengeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().SelectMany(requirement => requirement.Scopes).ToArray();
        if (authorizeResult.Forbidden && missing is { Length: > 0 })
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] =
                $"Bearer error=\"insufficient_scope\", scope=\"{string.Join(' ', missing)}\"";
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
