namespace MicroDemo.Gateway.Resilience;

/// <summary>One route's effective QoS options (ocelot.json <c>QoSOptions</c>, durations already parsed).</summary>
/// <param name="MinimumThroughput">
/// Without <paramref name="FailureRatio"/>: this many consecutive failures open the circuit.
/// With it: the least number of calls in <paramref name="SamplingDuration"/> before the ratio counts.
/// </param>
/// <param name="Timeout">Per-attempt timeout; null for none.</param>
public sealed record RouteQosOptions(
    int MinimumThroughput,
    TimeSpan BreakDuration,
    double FailureRatio = 0,
    TimeSpan? SamplingDuration = null,
    TimeSpan? Timeout = null)
{
    public bool HasCircuitBreaker => MinimumThroughput > 0 || FailureRatio > 0;

    public bool IsEnabled => HasCircuitBreaker || Timeout is not null;
}
