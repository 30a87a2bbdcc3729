using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Telemetry;
using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;


namespace MicroDemo.Gateway.Resilience;

/// <summary>
/// One <see cref="RouteResilience"/> per route, kept across configuration reloads for routes that did not
/// change (same key), so an open circuit stays open when someone edits an unrelated route.
/// </summary>
public sealed class RouteResilienceRegistry(TimeProvider time, GatewayMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<string, RouteResilience> _routes = new(StringComparer.Ordinal);

    /// <param name="routeKey">Changes whenever the route's definition changes (e.g. its fingerprint).</param>
    public RouteResilience GetOrCreate(string routeKey, string routeName, QosSettings options) =>
        _routes.GetOrAdd(routeKey, static (_, args) => args.Self.Create(args.RouteName, args.Options), (Self: this, RouteName: routeName, Options: options));

    /// <summary>Forgets routes that are no longer configured.</summary>
    public void RetainOnly(IReadOnlySet<string> routeKeys)
    {
        foreach (var key in _routes.Keys)
        {
            if (!routeKeys.Contains(key))
            {
                _routes.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Circuits that are open or half-open right now, for the health endpoint.</summary>
    public IReadOnlyList<CircuitMonitor> TrippedCircuits()
    {
        var tripped = new List<CircuitMonitor>();
        foreach (var route in _routes.Values)
        {
            if (route.Circuit is { Status: not CircuitStatus.Closed } circuit)
            {
                tripped.Add(circuit);
            }
        }

        return tripped;
    }

    private RouteResilience Create(string routeName, QosSettings options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        CircuitMonitor? circuit = null;
        if (options.CircuitBreakerEnabled)
        {
            circuit = new CircuitMonitor(routeName, time, metrics);
            AddCircuitBreaker(builder, options, circuit);
        }

        // Inside the breaker, so a timed-out call counts as a failure.
        if (options.Timeout is { } timeout)
        {
            builder.AddTimeout(timeout);
        }

        return new RouteResilience(builder.Build(), circuit, options);
    }

    private void AddCircuitBreaker(ResiliencePipelineBuilder<HttpResponseMessage> builder, QosSettings options, CircuitMonitor circuit)
    {
        if (options.FailureRatio is not > 0)
        {
            builder.AddStrategy(_ => new ConsecutiveFailuresCircuitBreaker(options.MinimumThroughput, options.BreakDuration, circuit, time),
                new ConsecutiveFailuresOptions());
            return;
        }

        // Polly's own breaker does ratios; its limits (throughput >= 2, durations >= 500 ms) are checked by the
        // configuration validator, and repeated here so a value that slipped through cannot fail at run time.
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = Math.Min(1, options.FailureRatio.Value),
            MinimumThroughput = Math.Max(2, options.MinimumThroughput),
            SamplingDuration = Max(options.SamplingDuration, TimeSpan.FromMilliseconds(500)),
            BreakDuration = Max(options.BreakDuration, TimeSpan.FromMilliseconds(500)),
            ShouldHandle = args => ValueTask.FromResult(
                !DownstreamOutcomes.IsInstanceFailure(args.Context) && DownstreamOutcomes.IsFailure(args.Outcome, args.Context.CancellationToken)),
            OnOpened = args =>
            {
                circuit.Opened(args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                circuit.HalfOpened();
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                circuit.Closed();
                return ValueTask.CompletedTask;
            },
        });
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class ConsecutiveFailuresOptions : ResilienceStrategyOptions
    {
        public ConsecutiveFailuresOptions() => Name = "ConsecutiveFailuresCircuitBreaker";
    }
}
