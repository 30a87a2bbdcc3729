using MicroDemo.Gateway.LoadBalancing;

namespace MicroDemo.Gateway.Tests.LoadBalancing;

public sealed class RoundRobinTests
{
    [Fact]
    public async Task Cycles_through_the_instances_in_order()
    {
        var balancer = new RoundRobin();
        var instances = Instances.Ports(1, 2, 3);

        var ports = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            ports.Add(await balancer.PortChosenAsync(instances));
        }

        Assert.Equal([1, 2, 3, 1, 2, 3, 1], ports);
    }

    [Fact]
    public async Task Ninety_nine_concurrent_leases_over_two_hosts_split_fifty_forty_nine()
    {
        var balancer = new RoundRobin();
        var instances = Instances.Ports(1, 2);
        using var start = new ManualResetEventSlim();

        var leases = Enumerable.Range(0, 99)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await balancer.PortChosenAsync(instances);
            }))
            .ToList();
        start.Set();
        var ports = await Task.WhenAll(leases);

        Assert.Equal(50, ports.Count(p => p == 1));
        Assert.Equal(49, ports.Count(p => p == 2));
    }

    [Fact]
    public async Task Keeps_cycling_when_the_instance_list_changes()
    {
        var balancer = new RoundRobin();

        Assert.Equal(1, await balancer.PortChosenAsync(Instances.Ports(1, 2)));
        Assert.Equal(2, await balancer.PortChosenAsync(Instances.Ports(1, 2)));
        Assert.Equal(3, await balancer.PortChosenAsync(Instances.Ports(1, 2, 3)));
        Assert.Equal(5, await balancer.PortChosenAsync(Instances.Ports(5)));
    }

    [Fact]
    public async Task No_instance_means_no_lease()
    {
        Assert.Null(await new RoundRobin().LeaseAsync(Instances.Request(), []));
    }
}
