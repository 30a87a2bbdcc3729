using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace MicroDemo.Gateway.Telemetry;

/// <summary>
/// The gateway's spans: the request's own span (ASP.NET Core's) is renamed after the matched route, and each
/// policy step gets a child span named "{step} {route}", so a trace reads like the pipeline. Without a listener
/// (tracing off, or the request not sampled) every call here is a null check.
/// </summary>
public static class GatewayActivities
{
    public const string SourceName = "MicroDemo.Gateway";

    public const string RouteTag = "http.route";

    public const string InstanceTag = "microdemo.instance";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Names the request after its route: its span (<c>POST /api/orders</c>) and ASP.NET Core's request metrics,
    /// which then carry <c>http.route</c> like those of an endpoint.
    /// </summary>
    public static void RouteMatched(HttpContext context, string route)
    {
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new KeyValuePair<string, object?>(RouteTag, route));
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } request)
        {
            request.DisplayName = $"{context.Request.Method} {route}";
            request.SetTag(RouteTag, route);
        }
    }

    /// <summary>Starts the span of one pipeline step (<see cref="GatewaySteps"/>); dispose it when the step ends.</summary>
    public static Activity? StartStep(string step, string route)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(step);
        if (activity is not null)
        {
            activity.DisplayName = $"{step} {route}";
            activity.SetTag(RouteTag, route);
        }

        return activity;
    }

    /// <summary>Ends the load-balancing span, naming the instance it picked (none: no instance to forward to).</summary>
    public static void EndBalancing(Activity? balancing, string? instanceId)
    {
        balancing?.SetTag(InstanceTag, instanceId ?? "none");
        balancing?.Dispose();
    }

    /// <summary>Marks a second attempt on another instance in the current (downstream call) span.</summary>
    public static void Retrying(string failedInstanceId) =>
        Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { [InstanceTag] = failedInstanceId }));
}

/// <summary>The names of the gateway's step spans.</summary>
public static class GatewaySteps
{
    public const string RateLimit = "rate limit";
    public const string Authentication = "authentication";
    public const string LoadBalancing = "load balancing";
    public const string Cache = "cache";
    public const string DownstreamCall = "downstream call";
}
