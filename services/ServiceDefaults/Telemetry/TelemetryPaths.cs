using Microsoft.AspNetCore.Http;

namespace MicroDemo.ServiceDefaults.Telemetry;

/// <summary>
/// Paths that machines poll: Consul's health checks, Prometheus scrapes and the gateway's dashboard (every second
/// while it is open). They get no trace and no request log line; a learner's own requests stand out instead.
/// </summary>
internal static class TelemetryPaths
{
    private static readonly PathString[] Untraced = ["/health", "/metrics", "/dashboard"];

    public static bool IsUntraced(PathString path)
    {
        foreach (var prefix in Untraced)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
