using System.Globalization;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>The problem+json answers the gateway itself gives (Ocelot answers these with empty bodies).</summary>
internal static class GatewayProblems
{
    public static Task NoRouteAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status404NotFound, "No route",
        $"No route in the gateway's configuration matches {context.Request.Method} {context.Request.Path}{context.Request.QueryString}.", route: null);

    public static Task MethodNotAllowedAsync(HttpContext context, IReadOnlyCollection<string> allowed)
    {
        context.Response.Headers.Allow = string.Join(", ", allowed);
        return WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed",
            $"{context.Request.Path} is routed for {string.Join(", ", allowed)} only, not {context.Request.Method}.", route: null);
    }

    public static Task UnknownServiceAsync(HttpContext context, string serviceName) => WriteAsync(context,
        StatusCodes.Status404NotFound, "No route",
        $"No route matches {context.Request.Method} {context.Request.Path}, and no service named '{serviceName}' is registered in service discovery.", route: null);

    public static Task LoopDetectedAsync(HttpContext context, string pseudonym) => WriteAsync(context,
        StatusCodes.Status508LoopDetected, "Loop detected",
        $"The request already passed through this gateway (its Via header names '{pseudonym}'); forwarding it again would loop.", route: null);

    public static Task OverloadedAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Gateway busy",
            "The gateway is forwarding as many requests as it is configured to (Gateway:Limits:MaxConcurrentRequests); try again shortly.", route: null);
    }

    // The path is left out of the answer: it is hostile more often than not.
    public static Task DotSegmentAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status400BadRequest, "Dot-segment in path",
        "The path has a '.' or '..' segment, plain or percent-encoded (once or more). The gateway forwards paths exactly as "
        + "they were encoded and refuses these, so that no downstream can be made to leave a route's path.", route: null);

    public static Task NoInstanceAsync(HttpContext context, string route, string? serviceName) => WriteAsync(context,
        StatusCodes.Status503ServiceUnavailable, "No downstream instance",
        serviceName is null
            ? "The route has no downstream host."
            : $"Service discovery knows no healthy instance of '{serviceName}'.",
        route);

    public static Task CircuitOpenAsync(HttpContext context, string route, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Circuit open",
            "The circuit breaker is open after repeated downstream failures; requests are refused until it lets a probe through.", route);
    }

    public static Task QosTimeoutAsync(HttpContext context, string route, TimeSpan timeout) => WriteAsync(context,
        StatusCodes.Status503ServiceUnavailable, "Downstream timeout",
        $"The downstream service did not answer within the route's QoS timeout of {timeout.TotalMilliseconds:0} ms.", route);

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string? route)
    {
        context.Response.StatusCode = status;
        var extensions = new Dictionary<string, object?>();
        if (route is not null)
        {
            extensions["route"] = route;
        }

        return Results.Problem(detail, statusCode: status, title: title, extensions: extensions).ExecuteAsync(context);
    }
}
