using System.Buffers;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// Keeps a copy of a response body while it streams to the client, up to a size limit, for the output cache.
/// Streaming is never held back: a body over the limit is still forwarded in full, only the copy is abandoned.
/// </summary>
/// <remarks>
/// The whole copy goes to <c>whole</c> before the client can have the whole response: a client that repeats its
/// request the moment the first answer is complete must find the entry. A body of declared length is handed over
/// before its last piece is written; any other body when <see cref="CompleteAsync"/> is called after the copy (its
/// end reaches the client only when the request ends: the last chunk, or the connection's close).
/// </remarks>
public sealed class ResponseBodyCapture(int maxBytes, long? declaredLength = null, Func<ReadOnlyMemory<byte>, ValueTask>? whole = null)
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private bool _handedOver;

    /// <summary>True when the whole body fitted within the limit.</summary>
    public bool IsComplete { get; private set; } = true;

    public ReadOnlyMemory<byte> Body => IsComplete ? _buffer.WrittenMemory : ReadOnlyMemory<byte>.Empty;

    /// <summary>After the copy succeeded: hands the body over if its last piece did not already.</summary>
    public ValueTask CompleteAsync() => IsComplete ? HandOverAsync() : ValueTask.CompletedTask;

    /// <summary>The body did not reach the client in full, so the copy must not be served later.</summary>
    internal void Abandon()
    {
        IsComplete = false;
        _buffer.Clear();
    }

    /// <summary>Copies a piece about to be written to the client; hands the body over first when it is the last one.</summary>
    internal ValueTask AppendAsync(ReadOnlyMemory<byte> chunk)
    {
        if (!IsComplete)
        {
            return ValueTask.CompletedTask;
        }

        if (_buffer.WrittenCount + chunk.Length > maxBytes)
        {
            Abandon();
            return ValueTask.CompletedTask;
        }

        _buffer.Write(chunk.Span);
        return _buffer.WrittenCount == declaredLength ? HandOverAsync() : ValueTask.CompletedTask;
    }

    private ValueTask HandOverAsync()
    {
        if (_handedOver || whole is null)
        {
            return ValueTask.CompletedTask;
        }

        _handedOver = true;
        return whole(_buffer.WrittenMemory);
    }
}
