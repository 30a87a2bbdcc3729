using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MicroDemo.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry for every MicroDemo app, wired once as eShop's and Aspire's ServiceDefaults do: traces and metrics
/// of ASP.NET Core, HttpClient and the runtime; a Prometheus scrape endpoint; OTLP export of traces, metrics and
/// logs when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; console logs that carry the trace and span ids, as single
/// lines or as JSON (<c>Logging:Console:FormatterName=json</c>). An app adds its own sources and meters with
/// <c>ConfigureOpenTelemetryTracerProvider</c> / <c>ConfigureOpenTelemetryMeterProvider</c>.
/// </summary>
public static class ServiceTelemetryExtensions
{
    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.SectionName);
        builder.Services.AddOptions<TelemetryOptions>().Bind(section);
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.AddServiceLogging();

        var telemetry = builder.Services.AddOpenTelemetry()
            // A missing Service:Name is ServiceOptionsValidator's to report, by name, not OpenTelemetry's.
            .ConfigureResource(resource => resource.AddService(
                builder.Configuration[SettingNames.ServiceName] is { } name && !string.IsNullOrWhiteSpace(name) ? name : builder.Environment.ApplicationName,
                serviceVersion: builder.Configuration[SettingNames.ServiceVersion]));
        if (options.Metrics)
        {
            telemetry.WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        }

        if (options.Tracing)
        {
            telemetry.WithTracing(tracing => tracing
                .SetSampler(options.TraceSampleRatio >= 1 ? new ParentBasedSampler(new AlwaysOnSampler()) : new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !TelemetryPaths.IsUntraced(context.Request.Path))
                // Calls made outside any request (the Consul watch, registration) would each start a trace of their own.
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = _ => Activity.Current?.Parent is not null));
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration[SettingNames.OtlpEndpoint]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Maps the Prometheus scrape endpoint (<see cref="TelemetryOptions.MetricsPath"/>) when metrics are on.</summary>
    public static WebApplication MapServiceMetrics(this WebApplication app)
    {
        var options = app.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Metrics)
        {
            app.MapPrometheusScrapingEndpoint(options.MetricsPath);
        }

        return app;
    }

    /// <summary>Writes one log line per request (<see cref="RequestLogMiddleware"/>); call first, so it sees the final status.</summary>
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app) => app.UseMiddleware<RequestLogMiddleware>();

    private static void AddServiceLogging(this WebApplicationBuilder builder)
    {
        // Every log line written inside a request carries its trace and span ids (as scope values).
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (string.Equals(builder.Configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(console =>
            {
                console.IncludeScopes = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.IncludeScopes = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }

        // HttpClient logs two Information lines per call; the Consul watch alone would print four every few seconds.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
    }
}
