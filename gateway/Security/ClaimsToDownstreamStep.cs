namespace MicroDemo.Gateway.Security;

/// <summary>
/// Runs after <see cref="RouteAuthorizationStep"/>: reads the values the route's <c>AddHeadersToRequest</c>,
/// <c>AddQueriesToRequest</c> and <c>ChangeDownstreamPathTemplate</c> take from the user's claims.
/// A missing claim or part refuses the request with 403, as in Ocelot.
/// </summary>
public sealed class ClaimsToDownstreamStep(ILogger<ClaimsToDownstreamStep> logger)
{
    public ClaimsToDownstreamOutcome Resolve(HttpContext context, string route, RouteAuthOptions options)
    {
        // Pre-flight requests are not authenticated, so there are no claims to send.
        if (!options.SendsClaimsDownstream || HttpMethods.IsOptions(context.Request.Method))
        {
            return ClaimsToDownstreamOutcome.Nothing;
        }

        var errors = new List<string>(0);
        var headers = ResolveAll(context, options.AddHeadersToRequest, "AddHeadersToRequest", errors);
        var queries = ResolveAll(context, options.AddQueriesToRequest, "AddQueriesToRequest", errors);
        var path = ResolveAll(context, options.ChangeDownstreamPathTemplate, "ChangeDownstreamPathTemplate", errors);
        if (errors.Count > 0)
        {
            var reason = string.Join("; ", errors);
            Log.Forbidden(logger, route, reason);
            return new ClaimsToDownstreamOutcome { Rejection = SecurityProblem.Forbidden(route, reason) };
        }

        return new ClaimsToDownstreamOutcome { Headers = headers, QueryParameters = queries, PathPlaceholders = path };
    }

    private static Dictionary<string, string> ResolveAll(
        HttpContext context, IReadOnlyDictionary<string, ClaimValueExpression> expressions, string settingName, List<string> errors)
    {
        var values = new Dictionary<string, string>(expressions.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (target, expression) in expressions)
        {
            if (expression.TryResolve(context.User, out var value, out var reason))
            {
                values[target] = value;
            }
            else
            {
                errors.Add($"{settingName} '{target}' failed: {reason}");
            }
        }

        return values;
    }
}
