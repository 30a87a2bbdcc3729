using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Testing;

namespace MicroDemo.Gateway.Tests.LoadBalancing;

public sealed class LoadBalancerRegistryTests
{
    private static readonly LoadBalancerOptions RoundRobin = new() { Type = "RoundRobin" };

    private readonly LoadBalancerRegistry _registry = new(new ManualTimeProvider());

    [Theory]
    [InlineData("NoLoadBalancer", typeof(NoLoadBalancer))]
    [InlineData("", typeof(NoLoadBalancer))]
    [InlineData("RoundRobin", typeof(RoundRobin))]
    [InlineData("LeastConnection", typeof(LeastConnection))]
    [InlineData("CookieStickySessions", typeof(CookieStickySessions))]
    public void Creates_the_balancer_the_Type_names(string type, Type expected)
    {
        Assert.IsType(expected, _registry.Get(new LoadBalancerKey("route", new LoadBalancerOptions { Type = type })));
    }

    [Theory]
    [InlineData("roundrobin")]
    [InlineData("Random")]
    public void An_unknown_or_wrongly_cased_Type_is_a_clear_argument_error(string type)
    {
        var error = Assert.Throws<ArgumentException>(() => _registry.Get(new LoadBalancerKey("route", new LoadBalancerOptions { Type = type })));

        Assert.Contains($"'{type}'", error.Message);
        Assert.Contains("RoundRobin, LeastConnection, CookieStickySessions", error.Message);
    }

    [Fact]
    public async Task A_reload_that_keeps_the_key_keeps_the_round_robin_cursor()
    {
        var instances = Instances.Ports(1, 2, 3);
        Assert.Equal(1, await _registry.Get(new LoadBalancerKey("users", RoundRobin)).PortChosenAsync(instances));

        // A reload builds new option objects; equal values mean the same balancer.
        var reloaded = new LoadBalancerKey("users", new LoadBalancerOptions { Type = "RoundRobin", Expiry = 5 });
        _registry.Retain(key => key == reloaded);

        Assert.Equal(2, await _registry.Get(reloaded).PortChosenAsync(instances));
    }

    [Fact]
    public async Task Routes_with_the_same_service_name_share_the_cursor()
    {
        var instances = Instances.Ports(1, 2);

        Assert.Equal(1, await _registry.Get(new LoadBalancerKey("users", RoundRobin)).PortChosenAsync(instances));
        Assert.Equal(2, await _registry.Get(new LoadBalancerKey("users", RoundRobin)).PortChosenAsync(instances));
        Assert.Equal(1, await _registry.Get(new LoadBalancerKey("orders", RoundRobin)).PortChosenAsync(instances));
    }

    [Fact]
    public async Task A_reload_that_drops_or_changes_the_key_starts_afresh()
    {
        var instances = Instances.Ports(1, 2);
        var before = new LoadBalancerKey("users", RoundRobin);
        await _registry.Get(before).PortChosenAsync(instances);
        var first = _registry.Get(before);

        _registry.Retain(_ => false);

        Assert.NotSame(first, _registry.Get(before));
        Assert.Equal(1, await _registry.Get(before).PortChosenAsync(instances));
        Assert.IsType<LeastConnection>(_registry.Get(new LoadBalancerKey("users", new LoadBalancerOptions { Type = "LeastConnection" })));
    }

    [Fact]
    public async Task Sticky_sessions_survive_a_reload_that_keeps_the_cookie()
    {
        var sticky = new LoadBalancerKey("route1", new LoadBalancerOptions { Type = "CookieStickySessions", Key = "sid" });
        var instances = Instances.Ports(1, 2);
        await _registry.Get(sticky).PortChosenAsync(instances, "sid=alice");
        Assert.Equal(2, await _registry.Get(sticky).PortChosenAsync(instances, "sid=bob"));

        _registry.Retain(key => key == sticky);

        Assert.Equal(2, await _registry.Get(sticky).PortChosenAsync(instances, "sid=bob"));
    }

    [Fact]
    public async Task Open_leases_survive_a_reload_that_keeps_the_key()
    {
        var key = new LoadBalancerKey("users", new LoadBalancerOptions { Type = "LeastConnection" });
        var instances = Instances.Ports(1, 2);
        using var open = await _registry.Get(key).LeaseAsync(Instances.Request(), instances);

        _registry.Retain(k => k == key);

        Assert.Equal(2, await _registry.Get(key).PortChosenAsync(instances));
    }
}
