using MicroDemo.Gateway.Discovery;

namespace MicroDemo.Gateway.Tests.Discovery;

public sealed class ServiceWatcherTests
{
    [Theory]
    [InlineData(0ul, 7ul, 7ul)] // first answer
    [InlineData(7ul, 9ul, 9ul)] // something changed
    [InlineData(9ul, 9ul, 9ul)] // the wait ended without a change
    [InlineData(9ul, 3ul, 0ul)] // the index went backwards (agent restarted): start over
    [InlineData(0ul, 0ul, 1ul)] // never block on 0: it would make every query non-blocking
    public void Next_blocking_index_follows_Consul_rules(ulong previous, ulong received, ulong expected)
    {
        Assert.Equal(expected, ConsulQueryLoop.NextIndex(previous, received));
    }
}
