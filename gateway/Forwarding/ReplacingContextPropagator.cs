using System.Diagnostics;
using System.Net.Http.Headers;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// Removes every trace header the wrapped propagator owns before it injects its own, so the downstream sees one
/// fresh set with the gateway's span as parent instead of the client's values plus ours.
/// </summary>
internal sealed class ReplacingContextPropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        // SocketsHttpHandler passes the request message as the carrier.
        var headers = carrier switch
        {
            HttpRequestMessage message => message.Headers,
            HttpHeaders direct => direct,
            _ => null,
        };
        if (headers is not null)
        {
            foreach (var field in inner.Fields)
            {
                headers.Remove(field);
            }
        }

        inner.Inject(activity, carrier, setter);
    }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
        => inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter)
        => inner.ExtractBaggage(carrier, getter);
}
