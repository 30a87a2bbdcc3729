using System.Globalization;
using System.Security.Claims;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.RateLimiting;

/// <summary>
/// Applies a route's <see cref="RateLimitSettings"/> to a request: identifies the client, counts, and
/// either lets the request go on (with <c>X-RateLimit-*</c> headers) or answers it.
/// </summary>
public sealed partial class RouteRateLimiter(IRateLimitCounters counters, GatewayMetrics metrics, ILogger<RouteRateLimiter> logger)
{
    /// <summary>True when the request may continue; false when the response has been written.</summary>
    public async ValueTask<bool> TryPassAsync(HttpContext context, RateLimitSettings rule, string routeKey, string routeName)
    {
        using var span = GatewayActivities.StartStep(GatewaySteps.RateLimit, routeName);
        var clientId = IdentifyClient(context, rule);
        if (clientId is null)
        {
            LogUnidentifiedClient(logger, routeName, rule.PartitionBy);
            await WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "Client not identified",
                $"Rate limiting could not identify the client for route '{routeName}': {MissingClientReason(rule)}.",
                routeName, retryAfter: null);
            return false;
        }

        if (rule.ClientWhitelist.Contains(clientId))
        {
            return true;
        }

        var decision = await counters.CountAsync(rule, routeKey, clientId);
        metrics.RateLimitCounted(routeName, clientId, decision);
        if (decision.Allowed)
        {
            if (rule.EnableHeaders)
            {
                var headers = context.Response.Headers;
                headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
                headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
                headers["X-RateLimit-Reset"] = decision.ResetAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
            }

            return true;
        }

        LogQuotaExceeded(logger, routeName);
        await WriteProblemAsync(context, rule.StatusCode, "Quota exceeded", QuotaMessage(rule), routeName,
            rule.EnableHeaders ? decision.RetryAfterSeconds : null);
        return false;
    }

    private static string? IdentifyClient(HttpContext context, RateLimitSettings rule)
    {
        var id = rule.PartitionBy switch
        {
            RateLimitPartition.ClientIp => context.Connection.RemoteIpAddress?.ToString(),
            RateLimitPartition.Claim => context.User.FindFirst(rule.PartitionClaim)?.Value,
            _ => context.Request.Headers[rule.ClientIdHeader].ToString(),
        };
        return string.IsNullOrWhiteSpace(id) ? null : id;
    }

    private static string MissingClientReason(RateLimitSettings rule) => rule.PartitionBy switch
    {
        RateLimitPartition.ClientIp => "the connection has no remote IP address",
        RateLimitPartition.Claim => $"the caller has no '{rule.PartitionClaim}' claim (is the route authenticated?)",
        _ => $"the request has no '{rule.ClientIdHeader}' header",
    };

    private static string QuotaMessage(RateLimitSettings rule)
    {
        try
        {
            return string.Format(CultureInfo.InvariantCulture, rule.QuotaMessage, rule.Limit, rule.PeriodText);
        }
        catch (FormatException)
        {
            // The validator rejects such messages; a message that slipped through is still shown as written.
            return rule.QuotaMessage;
        }
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string title, string detail, string routeName, long? retryAfter)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return Results.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["route"] = routeName })
            .ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rate limit quota exceeded on route {Route}")]
    private static partial void LogQuotaExceeded(ILogger logger, string route);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rate limiting could not identify the client on route {Route} (partition by {Partition})")]
    private static partial void LogUnidentifiedClient(ILogger logger, string route, RateLimitPartition partition);
}
