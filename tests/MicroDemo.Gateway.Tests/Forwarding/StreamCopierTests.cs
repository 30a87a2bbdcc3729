using System.IO.Pipelines;
using MicroDemo.Gateway.Forwarding;

namespace MicroDemo.Gateway.Tests.Forwarding;

public sealed class StreamCopierTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task What_has_already_arrived_leaves_in_one_write()
    {
        // As SocketsHttpHandler hands over a 10 KB body: at most its 4 KB connection buffer per read.
        var output = new RecordingStream();

        var result = await StreamCopier.CopyAsync(new PatternStream(10_240, maxRead: 4_096), output, autoFlush: false, gather: true, capture: null, CancellationToken.None);

        Assert.Equal(StreamCopyOutcome.Success, result.Outcome);
        Assert.Equal(10_240, result.BytesCopied);
        output.Written.Position = 0;
        Assert.Equal(10_240, await PatternStream.VerifyAsync(output.Written));
        Assert.Equal(1, output.Writes);
    }

    [Fact]
    public async Task A_piece_goes_out_before_the_copier_waits_for_the_next()
    {
        var pipe = new Pipe();
        var output = new RecordingStream();
        var copy = StreamCopier.CopyAsync(pipe.Reader.AsStream(), output, autoFlush: true, gather: true, capture: null, CancellationToken.None).AsTask();

        await pipe.Writer.WriteAsync("first"u8.ToArray());
        await output.WaitForBytesAsync(5).WaitAsync(Patience);
        Assert.False(copy.IsCompleted);

        await pipe.Writer.WriteAsync("second"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        var result = await copy.WaitAsync(Patience);

        Assert.Equal(StreamCopyOutcome.Success, result.Outcome);
        Assert.Equal("firstsecond"u8.ToArray(), output.Written.ToArray());
        Assert.Equal(2, output.Writes);
    }

    [Fact]
    public async Task A_stream_that_completes_zero_byte_reads_at_once_still_gets_each_piece_out_before_waiting()
    {
        var input = new FirstPieceThenWaitStream("first"u8.ToArray());
        var output = new RecordingStream();
        var copy = StreamCopier.CopyAsync(input, output, autoFlush: true, gather: true, capture: null, CancellationToken.None).AsTask();

        await output.WaitForBytesAsync(5).WaitAsync(Patience);
        Assert.False(copy.IsCompleted);

        input.End();
        var result = await copy.WaitAsync(Patience);
        Assert.Equal(StreamCopyOutcome.Success, result.Outcome);
        Assert.Equal("first"u8.ToArray(), output.Written.ToArray());
    }

    [Fact]
    public async Task A_failing_output_is_told_apart_from_a_failing_input()
    {
        var result = await StreamCopier.CopyAsync(new PatternStream(10_240, maxRead: 4_096), new RecordingStream { FailWrites = true }, autoFlush: false, gather: true, capture: null, CancellationToken.None);

        Assert.Equal(StreamCopyOutcome.OutputError, result.Outcome);
        Assert.IsType<IOException>(result.Exception);
    }

    [Fact]
    public async Task Without_gathering_a_failed_write_leaves_no_read_pending_on_the_input()
    {
        // Uploads copy without gathering: Kestrel reads a client's request body again when the request ends, and a
        // read of ours still pending then would break the connection.
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("first"u8.ToArray());

        var result = await StreamCopier.CopyAsync(pipe.Reader.AsStream(), new RecordingStream { FailWrites = true }, autoFlush: true, gather: false, capture: null, CancellationToken.None);

        Assert.Equal(StreamCopyOutcome.OutputError, result.Outcome);
        Assert.False(pipe.Reader.TryRead(out _)); // throws while a read is in progress
    }

    /// <summary>Like a plain <see cref="Stream"/>: zero-byte reads complete at once, data or not.</summary>
    private sealed class FirstPieceThenWaitStream(byte[] first) : Stream
    {
        private readonly TaskCompletionSource<int> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _firstRead;

        public void End() => _end.TrySetResult(0);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
            {
                return ValueTask.FromResult(0);
            }

            if (!_firstRead)
            {
                _firstRead = true;
                first.CopyTo(buffer);
                return ValueTask.FromResult(first.Length);
            }

            return new ValueTask<int>(_end.Task);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Keeps what was written and counts the writes; can wait until a number of bytes arrived.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly object _gate = new();
        private readonly List<(int Bytes, TaskCompletionSource Signal)> _waiters = [];

        public MemoryStream Written { get; } = new();

        public int Writes { get; private set; }

        public bool FailWrites { get; init; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public Task WaitForBytesAsync(int bytes)
        {
            lock (_gate)
            {
                if (Written.Length >= bytes)
                {
                    return Task.CompletedTask;
                }

                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((bytes, signal));
                return signal.Task;
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (FailWrites)
            {
                throw new IOException("The client went away.");
            }

            lock (_gate)
            {
                Writes++;
                Written.Write(buffer.Span);
                foreach (var waiter in _waiters.Where(w => Written.Length >= w.Bytes))
                {
                    waiter.Signal.TrySetResult();
                }
            }

            return ValueTask.CompletedTask;
        }

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
    }
}
