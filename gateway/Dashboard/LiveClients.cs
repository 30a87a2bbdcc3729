using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>
/// Counts the pages receiving live updates, each holding a connection open, so that many of them (a forgotten
/// tab per learner, or a hostile client) cannot tie up the gateway: past <see cref="DashboardOptions.MaxLiveClients"/>
/// they are refused and poll instead.
/// </summary>
internal sealed class LiveClients(IOptions<DashboardOptions> options)
{
    private int _count;

    /// <summary>A slot to dispose when the page goes away; null when all are taken.</summary>
    public IDisposable? TryEnter()
    {
        if (Interlocked.Increment(ref _count) > options.Value.MaxLiveClients)
        {
            Interlocked.Decrement(ref _count);
            return null;
        }

        return new Slot(this);
    }

    private sealed class Slot(LiveClients owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._count);
            }
        }
    }
}
