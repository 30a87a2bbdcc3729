using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MicroDemo.Gateway.Telemetry;

public static class GatewayTelemetryExtensions
{
    /// <summary>
    /// The gateway's spans and instruments, added to the OpenTelemetry that ServiceDefaults wires
    /// (<c>AddServiceTelemetry</c>): they are exported wherever the rest goes.
    /// </summary>
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<RateLimitWatch>();
        services.AddSingleton<GatewayMetrics>();
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(GatewayActivities.SourceName));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(GatewayMetrics.MeterName));
        return services;
    }
}
