using MicroDemo.Gateway.LoadBalancing;

namespace MicroDemo.Gateway.Tests.LoadBalancing;

public sealed class NoLoadBalancerTests
{
    [Fact]
    public async Task Always_picks_the_first_instance()
    {
        var instances = Instances.Ports(1, 2, 3);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(1, await NoLoadBalancer.Instance.PortChosenAsync(instances));
        }
    }

    [Fact]
    public async Task No_instance_means_no_lease()
    {
        Assert.Null(await NoLoadBalancer.Instance.LeaseAsync(Instances.Request(), []));
    }
}
