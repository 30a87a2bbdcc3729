using MicroDemo.Gateway.Forwarding;
using Polly;

namespace MicroDemo.Gateway.Resilience;

/// <summary>What counts as a failed downstream call for the circuit breaker.</summary>
public static class DownstreamOutcomes
{
    /// <summary>
    /// Set on a call whose failure passive health put down to one instance (now ejected) while another instance
    /// can serve: the route's circuit breaker counts it as neither a success nor a failure.
    /// </summary>
    public static readonly ResiliencePropertyKey<bool> InstanceFailureKey = new("MicroDemo.InstanceFailure");

    public static bool IsInstanceFailure(ResilienceContext context) =>
        context.Properties.TryGetValue(InstanceFailureKey, out var instanceFailure) && instanceFailure;

    /// <summary>
    /// A 5xx answer, a timeout, or a connection error. A client that hung up is not the downstream's fault
    /// and counts as neither success nor failure.
    /// </summary>
    public static bool IsFailure(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken) => outcome switch
    {
        _ when IsCallerCancellation(outcome, callerToken) => false,
        { Exception: ForwardingException { Error: ForwardingError.BadRequest or ForwardingError.RequestBodyClient } } => false,
        { Exception: not null } => true,
        { Result: { } response } => (int)response.StatusCode >= 500,
        _ => true,
    };

    public static bool IsCallerCancellation(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken) =>
        (outcome.Exception is OperationCanceledException && callerToken.IsCancellationRequested)
        || outcome.Exception is ForwardingException { Error: ForwardingError.ClientCanceled };
}
