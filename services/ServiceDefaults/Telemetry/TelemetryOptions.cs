namespace MicroDemo.ServiceDefaults.Telemetry;

/// <summary>
/// What OpenTelemetry records in every MicroDemo app, bound from <c>Telemetry</c>. Both are on by default: the
/// gateway's benchmark shows their cost (docs/benchmarks.md). OTLP export follows the OpenTelemetry spec's
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and its siblings) instead of a setting of ours.
/// </summary>
public sealed record TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Meters (ASP.NET Core, HttpClient, the runtime, the app's own) and the Prometheus endpoint.</summary>
    public bool Metrics { get; init; } = true;

    /// <summary>Traces: a span per request and per outgoing call, W3C <c>traceparent</c> passed on.</summary>
    public bool Tracing { get; init; } = true;

    /// <summary>
    /// The share of new traces recorded (OpenTelemetry's parent-based sampler: a trace a caller recorded is recorded
    /// here too). 1 records every request; below 1 the others still get trace ids in logs and headers.
    /// </summary>
    public double TraceSampleRatio { get; init; } = 1;

    /// <summary>Where Prometheus scrapes the app's metrics.</summary>
    public string MetricsPath { get; init; } = "/metrics";
}
