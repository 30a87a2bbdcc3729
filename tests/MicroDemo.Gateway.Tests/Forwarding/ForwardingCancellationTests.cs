using MicroDemo.Gateway.Forwarding;

namespace MicroDemo.Gateway.Tests.Forwarding;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CancellationPoolCollection
{
    // The pool is process-wide: other tests forwarding at the same time would take the sources these look for.
    public const string Name = "Cancellation pool (run alone)";
}

[Collection(CancellationPoolCollection.Name)]
public sealed class ForwardingCancellationTests
{
    // More rentals than the pool can hold reach every source that was in it.
    private const int BeyondPoolSize = 1100;

    [Fact]
    public async Task Route_timeout_cancels_the_call()
    {
        var source = ForwardingCancellation.Rent(default, default, TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(Timeout.Infinite, source.Token).WaitAsync(TimeSpan.FromSeconds(10)));
        source.Return();
    }

    [Fact]
    public void Client_abort_and_caller_token_each_cancel_the_call()
    {
        using var client = new CancellationTokenSource();
        using var caller = new CancellationTokenSource();
        var first = ForwardingCancellation.Rent(client.Token, caller.Token, Timeout.InfiniteTimeSpan);
        client.Cancel();
        Assert.True(first.IsCancellationRequested);
        first.Return();

        using var otherClient = new CancellationTokenSource();
        var second = ForwardingCancellation.Rent(otherClient.Token, caller.Token, Timeout.InfiniteTimeSpan);
        caller.Cancel();
        Assert.True(second.IsCancellationRequested);
        second.Return();
    }

    [Fact]
    public void Already_aborted_client_cancels_at_once()
    {
        using var client = new CancellationTokenSource();
        client.Cancel();

        var source = ForwardingCancellation.Rent(client.Token, default, TimeSpan.FromSeconds(90));

        Assert.True(source.IsCancellationRequested);
        source.Return();
    }

    [Fact]
    public async Task Stopped_timeout_no_longer_cancels()
    {
        var source = ForwardingCancellation.Rent(default, default, TimeSpan.FromMilliseconds(100));
        source.StopTimeout();

        // Proving that something does not happen takes a bounded wait: five times the timeout.
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.False(source.IsCancellationRequested);
        source.Return();
    }

    [Fact]
    public void Returned_source_is_reused_and_no_longer_follows_the_old_client()
    {
        using var oldClient = new CancellationTokenSource();
        var returned = ForwardingCancellation.Rent(oldClient.Token, default, TimeSpan.FromSeconds(90));
        returned.StopTimeout();
        returned.Return();

        var rented = RentUntil(returned, out var reused);
        try
        {
            Assert.NotNull(reused);
            oldClient.Cancel();
            Assert.False(reused.IsCancellationRequested);
        }
        finally
        {
            rented.ForEach(source => source.Return());
        }
    }

    [Fact]
    public void Cancelled_source_is_not_reused()
    {
        using var client = new CancellationTokenSource();
        var cancelled = ForwardingCancellation.Rent(client.Token, default, Timeout.InfiniteTimeSpan);
        client.Cancel();
        cancelled.Return();

        var rented = RentUntil(cancelled, out var reused);
        try
        {
            Assert.Null(reused);
            Assert.All(rented, source => Assert.False(source.IsCancellationRequested));
        }
        finally
        {
            rented.ForEach(source => source.Return());
        }
    }

    private static List<ForwardingCancellation> RentUntil(ForwardingCancellation wanted, out ForwardingCancellation? found)
    {
        var rented = new List<ForwardingCancellation>();
        found = null;
        while (rented.Count < BeyondPoolSize && found is null)
        {
            var source = ForwardingCancellation.Rent(default, default, Timeout.InfiniteTimeSpan);
            rented.Add(source);
            if (ReferenceEquals(source, wanted))
            {
                found = source;
            }
        }

        return rented;
    }
}
