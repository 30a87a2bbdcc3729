using Polly;
using Polly.CircuitBreaker;

namespace MicroDemo.Gateway.Resilience;

/// <summary>
/// A Polly strategy that opens after N consecutive failures, the meaning Ocelot users expect from
/// <c>ExceptionsAllowedBeforeBreaking</c> / <c>MinimumThroughput</c>. Polly 8's own breaker only knows
/// failure ratios over a sampling window (Ocelot issue #2085), hence this small strategy of our own.
/// Open: calls fail at once with <see cref="BrokenCircuitException"/> carrying the time left.
/// Half-open: exactly one probe goes through; its success closes the circuit, its failure reopens it.
/// </summary>
internal sealed class ConsecutiveFailuresCircuitBreaker(
    int failuresToOpen,
    TimeSpan breakDuration,
    CircuitMonitor monitor,
    TimeProvider time) : ResilienceStrategy<HttpResponseMessage>
{
    private readonly Lock _gate = new();
    private int _consecutiveFailures;
    private DateTimeOffset _openUntil;
    private bool _probeInFlight;

    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        if (TryReject() is { } rejected)
        {
            return Outcome.FromException<HttpResponseMessage>(rejected);
        }

        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        Record(outcome, context);
        return outcome;
    }

    private BrokenCircuitException? TryReject()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (monitor.Status == CircuitStatus.Open)
            {
                if (now < _openUntil)
                {
                    return new BrokenCircuitException($"The circuit is open for {monitor.RouteName}.", _openUntil - now);
                }

                monitor.HalfOpened();
                _probeInFlight = false;
            }

            if (monitor.Status == CircuitStatus.HalfOpen)
            {
                if (_probeInFlight)
                {
                    return new BrokenCircuitException($"The circuit is half-open for {monitor.RouteName} and a probe is in flight.", TimeSpan.FromSeconds(1));
                }

                _probeInFlight = true;
            }

            return null;
        }
    }

    private void Record(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var callerToken = context.CancellationToken;
        lock (_gate)
        {
            var wasProbe = monitor.Status == CircuitStatus.HalfOpen;
            _probeInFlight = false;
            if (DownstreamOutcomes.IsCallerCancellation(outcome, callerToken) || DownstreamOutcomes.IsInstanceFailure(context))
            {
                return; // neither a success nor a failure; a half-open circuit waits for the next probe
            }

            if (!DownstreamOutcomes.IsFailure(outcome, callerToken))
            {
                _consecutiveFailures = 0;
                if (wasProbe)
                {
                    monitor.Closed();
                }

                return;
            }

            _consecutiveFailures++;
            if (wasProbe || _consecutiveFailures >= failuresToOpen)
            {
                _openUntil = time.GetUtcNow() + breakDuration;
                _consecutiveFailures = 0;
                monitor.Opened(breakDuration);
            }
        }
    }
}
