using System.Net;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// A downstream response whose headers have arrived and whose body has not been read yet. Between
/// <see cref="HttpForwarder.SendAsync"/> and <see cref="HttpForwarder.CopyResponseAsync"/> the caller may read
/// <see cref="StatusCode"/> (circuit breaker) and edit <see cref="Message"/>'s headers (DownstreamHeaderTransform).
/// </summary>
public sealed class DownstreamResponse : IDisposable
{
    private int _disposed;

    internal DownstreamResponse(
        HttpResponseMessage message,
        DownstreamRequestOptions options,
        ForwardingCancellation cancellation,
        StreamingRequestContent? requestBody,
        UpgradeKind upgrade)
    {
        Message = message;
        Options = options;
        Cancellation = cancellation;
        RequestBody = requestBody;
        Upgrade = upgrade;
    }

    public HttpResponseMessage Message { get; }

    public HttpStatusCode StatusCode => Message.StatusCode;

    public DownstreamRequestOptions Options { get; }

    /// <summary>Linked to the client's RequestAborted; the route timeout is already stopped.</summary>
    internal ForwardingCancellation Cancellation { get; }

    internal StreamingRequestContent? RequestBody { get; }

    internal UpgradeKind Upgrade { get; }

    public void Dispose()
    {
        // The cancellation source goes back to a pool: returning it twice would hand it to two requests.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Discarded without CopyResponseAsync (e.g. a policy answered instead): an upload still pumping the
        // client's body must stop now, before the request it reads from is over.
        if (RequestBody is { Started: true, Completion.IsCompleted: false })
        {
            Cancellation.Cancel();
        }

        Message.Dispose();
        Cancellation.Return();
    }
}
