using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MicroDemo.Gateway.Tests.LoadBalancing;

/// <summary>Passive health: which instances a balancer may pick after failures, on a clock the test moves.</summary>
public sealed class InstanceHealthTests
{
    private static readonly TimeSpan Ejection = TimeSpan.FromSeconds(2);
    private readonly ManualTimeProvider _clock = new();
    private readonly IReadOnlyList<MicroDemo.ServiceDefaults.Consul.ServiceInstance> _two = Instances.Ports(1, 2);

    private InstanceHealth NewHealth(int consecutiveFailures = 3) =>
        new("svc", new PassiveHealthOptions { ConsecutiveFailures = consecutiveFailures, EjectionDuration = Ejection }, _clock, NullLogger.Instance);

    private static int[] Ports(IEnumerable<MicroDemo.ServiceDefaults.Consul.ServiceInstance> instances) => instances.Select(i => i.Port).ToArray();

    [Fact]
    public void A_broken_connection_ejects_the_instance_at_once_and_is_the_instance_s_failure()
    {
        var health = NewHealth();

        var instanceFailure = health.ReportFailure(_two[0], _two, connectionBroke: true);

        Assert.True(instanceFailure);
        Assert.Equal([2], Ports(health.Available(_two)));
    }

    [Fact]
    public void Five_xx_answers_eject_only_after_a_streak_and_a_success_ends_the_streak()
    {
        var health = NewHealth(consecutiveFailures: 3);

        Assert.False(health.ReportFailure(_two[0], _two, connectionBroke: false));
        Assert.False(health.ReportFailure(_two[0], _two, connectionBroke: false));
        health.ReportSuccess(_two[0]);
        Assert.False(health.ReportFailure(_two[0], _two, connectionBroke: false));
        Assert.False(health.ReportFailure(_two[0], _two, connectionBroke: false));
        Assert.Equal([1, 2], Ports(health.Available(_two)));

        Assert.True(health.ReportFailure(_two[0], _two, connectionBroke: false));
        Assert.Equal([2], Ports(health.Available(_two)));
    }

    [Fact]
    public void An_ejected_instance_is_balanced_to_again_after_the_ejection_and_one_failure_on_probation_ejects_it_again()
    {
        var health = NewHealth();
        health.ReportFailure(_two[0], _two, connectionBroke: true);

        _clock.Advance(Ejection - TimeSpan.FromMilliseconds(1));
        Assert.Equal([2], Ports(health.Available(_two)));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([1, 2], Ports(health.Available(_two)));

        Assert.True(health.ReportFailure(_two[0], _two, connectionBroke: false));
        Assert.Equal([2], Ports(health.Available(_two)));
    }

    [Fact]
    public void A_success_on_probation_clears_the_instance()
    {
        var health = NewHealth();
        health.ReportFailure(_two[0], _two, connectionBroke: true);
        _clock.Advance(Ejection);

        health.ReportSuccess(_two[0]);

        Assert.False(health.ReportFailure(_two[0], _two, connectionBroke: false));
        Assert.Equal([1, 2], Ports(health.Available(_two)));
    }

    [Fact]
    public void When_every_instance_is_ejected_all_are_offered_and_the_failure_belongs_to_the_route()
    {
        var health = NewHealth();
        Assert.True(health.ReportFailure(_two[0], _two, connectionBroke: true));

        var lastOneFailed = health.ReportFailure(_two[1], _two, connectionBroke: true);

        Assert.False(lastOneFailed); // nobody else can serve: the route's circuit breaker counts it
        Assert.Equal([1, 2], Ports(health.Available(_two)));
        Assert.Empty(health.Available(_two, except: _two[0]));
    }

    [Fact]
    public void A_single_instance_is_never_ejected()
    {
        var health = NewHealth();
        var one = Instances.Ports(1);

        Assert.False(health.ReportFailure(one[0], one, connectionBroke: true));
        Assert.Equal([1], Ports(health.Available(one)));
    }

    [Fact]
    public void Failover_leaves_out_the_failed_instance_and_ejected_ones()
    {
        var health = NewHealth();
        var three = Instances.Ports(1, 2, 3);
        health.ReportFailure(three[2], three, connectionBroke: true);

        Assert.Equal([2], Ports(health.Available(three, except: three[0])));
    }

    [Fact]
    public void An_instance_that_discovery_dropped_and_lists_again_is_balanced_to_at_once()
    {
        var health = NewHealth();
        health.ReportFailure(_two[0], _two, connectionBroke: true);

        Assert.Equal([2], Ports(health.Available(Instances.Ports(2)))); // its check failed: no longer listed
        var listedAgain = Instances.Ports(1, 2);

        Assert.Equal([1, 2], Ports(health.Available(listedAgain)));
    }

    [Fact]
    public void Healthy_instances_are_passed_through_without_a_copy()
    {
        var health = NewHealth();
        health.ReportSuccess(_two[0]);

        Assert.Same(_two, health.Available(_two));
    }
}
