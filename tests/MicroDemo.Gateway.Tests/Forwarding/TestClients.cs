namespace MicroDemo.Gateway.Tests.Forwarding;

internal static class TestClients
{
    public static HttpClient Create(Action<SocketsHttpHandler>? configure = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        configure?.Invoke(handler);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }
}

/// <summary>
/// A generated, non-seekable stream of <c>position % 251</c> bytes: large payloads without files or big arrays. Each
/// read completes at once with at most <c>maxRead</c> bytes (SocketsHttpHandler, for one, hands a body over 4 KB at a time).
/// </summary>
internal sealed class PatternStream(long length, int maxRead = int.MaxValue) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public static byte At(long position) => (byte)(position % 251);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(Math.Min(buffer.Length, maxRead), length - _position);
        for (var i = 0; i < count; i++)
        {
            buffer[i] = At(_position + i);
        }

        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Reads <paramref name="source"/> to the end, checking every byte against the pattern; returns the count.</summary>
    public static async Task<long> VerifyAsync(Stream source, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[64 * 1024];
        long position = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != At(position + i))
                {
                    throw new InvalidDataException($"Byte {position + i} is {buffer[i]}, expected {At(position + i)}.");
                }
            }

            position += read;
        }

        return position;
    }
}
