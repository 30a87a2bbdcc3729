using System.Net;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// Streams the client's request body to the downstream as it arrives. It reports an unknown length: the copied
/// Content-Length header (or chunked framing) describes the body, and nothing is buffered.
/// </summary>
internal sealed class StreamingRequestContent(Stream source, bool autoFlush) : HttpContent
{
    private readonly TaskCompletionSource<StreamCopyResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    public bool Started => Volatile.Read(ref _started) != 0;

    /// <summary>Completes when the upload ended; tells whether the client side, the downstream side or nobody failed.</summary>
    public Task<StreamCopyResult> Completion => _completion.Task;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            // A retry or redirect would need the body a second time, but it was consumed from the client.
            throw new InvalidOperationException("The streamed request body can be sent only once.");
        }

        StreamCopyResult result;
        try
        {
            // Headers leave now, before the first body byte arrives (Expect: 100-continue, slow uploads).
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            result = await StreamCopier.CopyAsync(source, stream, autoFlush, gather: false, capture: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            result = new StreamCopyResult(
                ex is OperationCanceledException && cancellationToken.IsCancellationRequested ? StreamCopyOutcome.Canceled : StreamCopyOutcome.OutputError, 0, ex);
        }

        _completion.TrySetResult(result);
        if (result.Exception is not null)
        {
            throw result.Exception;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken)
        => throw new NotSupportedException("A streamed request body cannot be read back.");
}
