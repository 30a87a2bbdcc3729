using MicroDemo.Gateway.LoadBalancing;

namespace MicroDemo.Gateway.Tests.LoadBalancing;

public sealed class LeastConnectionTests
{
    private readonly LeastConnection _balancer = new();

    [Fact]
    public async Task Picks_the_host_with_the_fewest_open_leases_and_the_first_on_ties()
    {
        var instances = Instances.Ports(1, 2, 3);

        var first = await _balancer.LeaseAsync(Instances.Request(), instances);
        var second = await _balancer.LeaseAsync(Instances.Request(), instances);
        var third = await _balancer.LeaseAsync(Instances.Request(), instances);
        second!.Dispose();
        var fourth = await _balancer.LeaseAsync(Instances.Request(), instances);

        Assert.Equal([1, 2, 3, 2], new[] { first!, second, third!, fourth! }.Select(l => l.Instance.Port));
    }

    [Fact]
    public async Task A_released_lease_frees_its_host_once_even_when_disposed_twice()
    {
        var instances = Instances.Ports(1, 2);
        var busy = await _balancer.LeaseAsync(Instances.Request(), instances);
        using var other = await _balancer.LeaseAsync(Instances.Request(), instances);

        busy!.Dispose();
        busy.Dispose();

        Assert.Equal(0, _balancer.ActiveLeases(instances[0]));
        Assert.Equal(1, _balancer.ActiveLeases(instances[1]));
    }

    [Fact]
    public async Task Sends_new_calls_to_the_idle_host_while_the_other_is_busy()
    {
        var instances = Instances.Ports(1, 2);
        var longCall = await _balancer.LeaseAsync(Instances.Request(), instances);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(2, await _balancer.PortChosenAsync(instances));
        }

        longCall!.Dispose();
        Assert.Equal(1, await _balancer.PortChosenAsync(instances));
    }

    [Fact]
    public async Task A_host_that_left_is_forgotten_and_comes_back_at_zero()
    {
        var both = Instances.Ports(1, 2);
        var onHost1 = await _balancer.LeaseAsync(Instances.Request(), both);
        var alsoOnHost1 = await _balancer.LeaseAsync(Instances.Request(), Instances.Ports(1));

        await _balancer.PortChosenAsync(Instances.Ports(2));
        Assert.Equal(0, _balancer.ActiveLeases(both[0]));

        // Host 1 returns while its two old leases are still open: it starts at zero, and their release cannot push it below.
        Assert.Equal(1, await _balancer.PortChosenAsync(both));
        onHost1!.Dispose();
        alsoOnHost1!.Dispose();
        Assert.Equal(0, _balancer.ActiveLeases(both[0]));
    }

    [Fact]
    public async Task Concurrent_leases_spread_evenly_and_all_release()
    {
        var instances = Instances.Ports(1, 2, 3);
        using var start = new ManualResetEventSlim();

        var leasing = Enumerable.Range(0, 90).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return (await _balancer.LeaseAsync(Instances.Request(), instances))!;
        })).ToList();
        start.Set();
        var held = await Task.WhenAll(leasing);

        Assert.All(instances, i => Assert.Equal(30, _balancer.ActiveLeases(i)));
        Parallel.ForEach(held, l => l.Dispose());
        Assert.All(instances, i => Assert.Equal(0, _balancer.ActiveLeases(i)));
    }

    [Fact]
    public async Task No_instance_means_no_lease()
    {
        Assert.Null(await _balancer.LeaseAsync(Instances.Request(), []));
    }
}
