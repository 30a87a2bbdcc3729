using System.Buffers;

namespace MicroDemo.Gateway.Forwarding;

internal enum StreamCopyOutcome
{
    Success,
    InputError,
    OutputError,
    Canceled,
}

internal readonly record struct StreamCopyResult(StreamCopyOutcome Outcome, long BytesCopied, Exception? Exception);

/// <summary>
/// Pumps one stream into another through a single pooled 64 KB buffer (the size YARP settled on after
/// measuring). Failures are attributed to the side that threw, which decides the status code.
/// </summary>
/// <remarks>
/// With <c>gather</c>, what has already arrived leaves in one write. SocketsHttpHandler hands a body over at most one
/// connection buffer (4 KB) at a time and Kestrel sends every write at once, so writing each piece would cost a
/// system call and a TCP segment per piece where nginx sends one. Nothing is held back to wait for more: a piece goes
/// out as soon as the next read would have to wait. The price is that a failed write can leave a zero-byte read
/// pending on the input, so only a caller that disposes the input after a failure (a downstream response) gathers;
/// a client's request body must not be read after its request is over.
/// </remarks>
internal static class StreamCopier
{
    public const int BufferSize = 64 * 1024;

    public static async ValueTask<StreamCopyResult> CopyAsync(
        Stream input, Stream output, bool autoFlush, bool gather, ResponseBodyCapture? capture, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;

        // A zero-byte read waits for data without holding a buffer, so idle WebSockets and slow streams do not pin
        // 64 KB each (streams that cannot wait this way complete it at once). One issued while filling the buffer
        // that did not complete at once is the next round's wait: a stream takes one read at a time.
        ValueTask<int>? pendingWait = null;
        try
        {
            while (true)
            {
                // buffer[written..filled] has been read and not written yet.
                var written = 0;
                var filled = 0;
                var ended = false;
                try
                {
                    var wait = pendingWait ?? input.ReadAsync(Memory<byte>.Empty, cancellationToken);
                    pendingWait = null;
                    var idle = !wait.IsCompleted;
                    if (idle)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = [];
                    }

                    await wait.ConfigureAwait(false);
                    if (idle)
                    {
                        buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                    }

                    while (true)
                    {
                        var next = input.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                        if (!next.IsCompleted && filled > written)
                        {
                            // Only a stream that completes zero-byte reads without data gets here: what is read goes
                            // out before the wait.
                            if (await SendAsync(output, buffer.AsMemory(written, filled - written), autoFlush, capture, cancellationToken).ConfigureAwait(false) is { } error)
                            {
                                return Failed(StreamCopyOutcome.OutputError, total, error, cancellationToken);
                            }

                            total += filled - written;
                            written = filled;
                        }

                        var read = await next.ConfigureAwait(false);
                        if (read == 0)
                        {
                            ended = true;
                            break;
                        }

                        filled += read;
                        if (!gather || filled == buffer.Length)
                        {
                            break;
                        }

                        // Read on only while more has already arrived.
                        var dataReady = input.ReadAsync(Memory<byte>.Empty, cancellationToken);
                        if (!dataReady.IsCompleted)
                        {
                            pendingWait = dataReady;
                            break;
                        }

                        await dataReady.ConfigureAwait(false);
                    }
                }
                catch (Exception ex)
                {
                    // Writes report their failures through SendAsync's result: whatever throws here is the input's.
                    return Failed(StreamCopyOutcome.InputError, total, ex, cancellationToken);
                }

                if (filled > written)
                {
                    if (await SendAsync(output, buffer.AsMemory(written, filled - written), autoFlush, capture, cancellationToken).ConfigureAwait(false) is { } error)
                    {
                        return Failed(StreamCopyOutcome.OutputError, total, error, cancellationToken);
                    }

                    total += filled - written;
                }

                if (ended)
                {
                    return new StreamCopyResult(StreamCopyOutcome.Success, total, null);
                }
            }
        }
        finally
        {
            if (buffer.Length != 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Writes (and flushes when asked) one piece; returns the output's failure instead of throwing it.</summary>
    private static async ValueTask<Exception?> SendAsync(
        Stream output, ReadOnlyMemory<byte> data, bool autoFlush, ResponseBodyCapture? capture, CancellationToken cancellationToken)
    {
        try
        {
            // Copied before it is written: the cache may need the whole body before its last piece reaches the client.
            if (capture is not null)
            {
                await capture.AppendAsync(data).ConfigureAwait(false);
            }

            await output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            if (autoFlush)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            return ex;
        }

        return null;
    }

    private static StreamCopyResult Failed(StreamCopyOutcome outcome, long total, Exception ex, CancellationToken cancellationToken)
        => new(ex is OperationCanceledException && cancellationToken.IsCancellationRequested ? StreamCopyOutcome.Canceled : outcome, total, ex);
}
