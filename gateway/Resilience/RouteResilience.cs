using MicroDemo.Gateway.Configuration;
using Polly;

namespace MicroDemo.Gateway.Resilience;

/// <summary>A route's QoS: its Polly pipeline around the downstream call, and its circuit's state.</summary>
public sealed class RouteResilience(ResiliencePipeline<HttpResponseMessage> pipeline, CircuitMonitor? circuit, QosSettings options)
{
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; } = pipeline;

    /// <summary>Null when the route has a timeout but no circuit breaker.</summary>
    public CircuitMonitor? Circuit { get; } = circuit;

    public QosSettings Options { get; } = options;
}
