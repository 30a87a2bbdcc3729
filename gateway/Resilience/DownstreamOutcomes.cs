using MicroDemo.Gateway.Forwarding;
using Polly;

namespace MicroDemo.Gateway.Resilience;

/// <summary>What counts as a failed downstream call for the circuit breaker.</summary>
public static class DownstreamOutcomes
{
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
