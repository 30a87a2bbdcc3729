using System.Diagnostics;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Headers;

namespace MicroDemo.Gateway.Hosting;

/// <summary>
/// Has ASP.NET Core start an <see cref="Activity"/> (trace and span ids) for each request only while the
/// configuration reads one: a <c>{TraceId}</c> header placeholder, or <c>HttpHandlerOptions.UseTracing</c>
/// (trace headers sent downstream). ASP.NET Core also starts one by itself when a tracer such as OpenTelemetry
/// listens, or when its request logging (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>) is on. The gateway's
/// appsettings.json turns that logging off: the per-request Activity and log scope cost a few µs of every forwarded
/// request (docs/benchmarks.md), and most routes never read them.
/// </summary>
public sealed class RequestActivityListener : IDisposable
{
    /// <summary>The ActivitySource ASP.NET Core's hosting layer starts request activities from.</summary>
    public const string HostingSourceName = "Microsoft.AspNetCore";

    private readonly Lock _gate = new();
    private ActivityListener? _listener;

    public bool IsListening
    {
        get
        {
            lock (_gate)
            {
                return _listener is not null;
            }
        }
    }

    /// <summary>True when <paramref name="configuration"/> reads the request's trace id somewhere.</summary>
    public static bool IsNeededBy(GatewayConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var route in configuration.Routes)
        {
            if (route.HttpHandler.UseTracing
                || HeaderTransforms.Reads(route.UpstreamHeaderTransform, HeaderPlaceholder.TraceId)
                || HeaderTransforms.Reads(route.DownstreamHeaderTransform, HeaderPlaceholder.TraceId))
            {
                return true;
            }
        }

        return configuration.DynamicRoutingEnabled
            && (configuration.DynamicRouteDefaults.HttpHandler.UseTracing || configuration.DynamicRoutes.Any(route => route.HttpHandler.UseTracing));
    }

    /// <summary>Starts or stops listening; called on every configuration load.</summary>
    public void Listen(bool enabled)
    {
        lock (_gate)
        {
            if (enabled && _listener is null)
            {
                _listener = new ActivityListener
                {
                    ShouldListenTo = static source => source.Name == HostingSourceName,
                    // Ids only, nothing recorded; a client's "sampled" decision is kept for the services behind.
                    Sample = static (ref ActivityCreationOptions<ActivityContext> options) =>
                        options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData,
                };
                ActivitySource.AddActivityListener(_listener);
            }
            else if (!enabled && _listener is not null)
            {
                _listener.Dispose();
                _listener = null;
            }
        }
    }

    public void Dispose() => Listen(enabled: false);
}
