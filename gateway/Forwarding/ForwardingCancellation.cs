using System.Collections.Concurrent;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// Cancels one forwarded call when the client goes away, when the caller's token fires (a QoS timeout) or when
/// the route timeout elapses. Sources are pooled and reset on return, as YARP's ActivityCancellationTokenSource
/// does: <see cref="CancellationTokenSource.CreateLinkedTokenSource(CancellationToken, CancellationToken)"/>
/// would allocate a source, a registration and a timer for every request, and the framework has no pooled
/// linked source.
/// </summary>
internal sealed class ForwardingCancellation : CancellationTokenSource
{
    // More than the calls a gateway has in flight at once on a small machine; beyond it sources are not kept.
    private const int MaxPooled = 1024;

    private static readonly ConcurrentQueue<ForwardingCancellation> Pool = new();
    private static readonly Action<object?> CancelSource = static source => ((ForwardingCancellation)source!).Cancel();
    private static int s_pooled;

    private CancellationTokenRegistration _clientAborted;
    private CancellationTokenRegistration _caller;

    private ForwardingCancellation()
    {
    }

    /// <param name="clientAborted">The client's <c>RequestAborted</c>.</param>
    /// <param name="caller">An extra deadline of the caller's, e.g. a QoS timeout; may be <c>default</c>.</param>
    /// <param name="timeout">The route timeout, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    public static ForwardingCancellation Rent(CancellationToken clientAborted, CancellationToken caller, TimeSpan timeout)
    {
        if (Pool.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref s_pooled);
        }
        else
        {
            source = new ForwardingCancellation();
        }

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            // A pooled source keeps its timer object: this re-arms it instead of allocating a new one.
            source.CancelAfter(timeout);
        }

        source._clientAborted = clientAborted.UnsafeRegister(CancelSource, source);
        source._caller = caller.UnsafeRegister(CancelSource, source);
        return source;
    }

    /// <summary>Ends the route timeout: it covers the wait for the response headers, not the body.</summary>
    public void StopTimeout() => CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Unlinks the source and puts it back in the pool unless it was cancelled (a cancelled source cannot be reset
    /// and is disposed). Call once, when nothing uses the token any more.
    /// </summary>
    public void Return()
    {
        // Disposing a registration waits for its callback if one is running, so nothing cancels the source later.
        _clientAborted.Dispose();
        _caller.Dispose();
        if (TryReset())
        {
            if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
            {
                Pool.Enqueue(this);
                return;
            }

            Interlocked.Decrement(ref s_pooled);
        }

        Dispose();
    }
}
