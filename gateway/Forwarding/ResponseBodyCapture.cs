using System.Buffers;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// Keeps a copy of a response body while it streams to the client, up to a size limit, for the output cache.
/// Streaming is never held back: a body over the limit is still forwarded in full, only the copy is abandoned.
/// </summary>
public sealed class ResponseBodyCapture(int maxBytes)
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>True when the whole body fitted within the limit.</summary>
    public bool IsComplete { get; private set; } = true;

    public ReadOnlyMemory<byte> Body => IsComplete ? _buffer.WrittenMemory : ReadOnlyMemory<byte>.Empty;

    /// <summary>The body did not reach the client in full, so the copy must not be served later.</summary>
    internal void Abandon()
    {
        IsComplete = false;
        _buffer.Clear();
    }

    internal void Append(ReadOnlySpan<byte> chunk)
    {
        if (!IsComplete)
        {
            return;
        }

        if (_buffer.WrittenCount + chunk.Length > maxBytes)
        {
            Abandon();
            return;
        }

        _buffer.Write(chunk);
    }
}
