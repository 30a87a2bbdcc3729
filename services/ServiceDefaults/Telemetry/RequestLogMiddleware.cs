using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MicroDemo.ServiceDefaults.Telemetry;

/// <summary>
/// One line per request, written when it ends: method, path, status, duration and trace id, so that a learner can
/// follow one request through the logs of every process by its trace id. Health checks and scrapes are left out:
/// Consul and Prometheus would otherwise fill the log every few seconds. The query string is never logged.
/// </summary>
internal sealed partial class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (TelemetryPaths.IsUntraced(context.Request.Path))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, Activity.Current?.TraceId.ToHexString() ?? "-");
        }
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms, trace {TraceId}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, double elapsedMs, string traceId);
}
