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
internal static class StreamCopier
{
    public const int BufferSize = 64 * 1024;

    public static async ValueTask<StreamCopyResult> CopyAsync(
        Stream input, Stream output, bool autoFlush, ResponseBodyCapture? capture, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    // A zero-byte read waits for data without holding a buffer, so idle WebSockets and slow streams
                    // do not pin 64 KB each. Streams that cannot wait this way complete it at once.
                    var wait = input.ReadAsync(Memory<byte>.Empty, cancellationToken);
                    if (!wait.IsCompletedSuccessfully)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = [];
                        await wait.ConfigureAwait(false);
                        buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                    }

                    read = await input.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    return Failed(StreamCopyOutcome.InputError, total, ex, cancellationToken);
                }

                if (read == 0)
                {
                    return new StreamCopyResult(StreamCopyOutcome.Success, total, null);
                }

                try
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    if (autoFlush)
                    {
                        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex)
                {
                    return Failed(StreamCopyOutcome.OutputError, total, ex, cancellationToken);
                }

                capture?.Append(buffer.AsSpan(0, read));
                total += read;
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

    private static StreamCopyResult Failed(StreamCopyOutcome outcome, long total, Exception ex, CancellationToken cancellationToken)
        => new(ex is OperationCanceledException && cancellationToken.IsCancellationRequested ? StreamCopyOutcome.Canceled : outcome, total, ex);
}
