using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Testing;

namespace MicroDemo.Gateway.Tests.LoadBalancing;

public sealed class CookieStickySessionsTests
{
    private static readonly LoadBalancerOptions Sticky = new() { Type = "CookieStickySessions", Key = "sid", Expiry = 60_000 };

    private readonly ManualTimeProvider _time = new();
    private readonly LoadBalancerRegistry _registry;

    public CookieStickySessionsTests() => _registry = new LoadBalancerRegistry(_time);

    private ILoadBalancer Balancer(string route = "route1", LoadBalancerOptions? options = null) =>
        _registry.Get(new LoadBalancerKey(route, options ?? Sticky));

    [Fact]
    public async Task Requests_with_the_same_cookie_stick_to_one_host()
    {
        var instances = Instances.Ports(1, 2, 3);
        var balancer = Balancer();

        var a = new List<int>();
        var b = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            a.Add(await balancer.PortChosenAsync(instances, "sid=alice"));
            b.Add(await balancer.PortChosenAsync(instances, "sid=bob"));
        }

        Assert.Equal([1, 1, 1, 1], a);
        Assert.Equal([2, 2, 2, 2], b);
    }

    [Fact]
    public async Task Requests_without_the_cookie_are_spread_by_round_robin()
    {
        var instances = Instances.Ports(1, 2);
        var balancer = Balancer();

        var ports = new List<int>();
        foreach (var cookie in new[] { null, "other=x", "sid=", null })
        {
            ports.Add(await balancer.PortChosenAsync(instances, cookie));
        }

        Assert.Equal([1, 2, 1, 2], ports);
    }

    [Fact]
    public async Task A_session_expires_after_Expiry_without_requests_and_slides_with_each_request()
    {
        var instances = Instances.Ports(1, 2);
        var balancer = Balancer();
        Assert.Equal(1, await balancer.PortChosenAsync(instances, "sid=alice"));

        _time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(1, await balancer.PortChosenAsync(instances, "sid=alice"));
        _time.Advance(TimeSpan.FromSeconds(50)); // 100 s after the first request, 50 s after the last: still alive
        Assert.Equal(1, await balancer.PortChosenAsync(instances, "sid=alice"));

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(2, await balancer.PortChosenAsync(instances, "sid=alice")); // a new session, next in round robin
    }

    [Fact]
    public async Task Expired_sessions_are_removed_from_the_table()
    {
        var instances = Instances.Ports(1, 2);
        var balancer = Assert.IsType<CookieStickySessions>(Balancer());
        for (var i = 0; i < 10; i++)
        {
            await balancer.PortChosenAsync(instances, $"sid=user{i}");
        }

        Assert.Equal(10, balancer.Sessions.Count);
        _time.Advance(TimeSpan.FromMinutes(2));
        await balancer.PortChosenAsync(instances, "sid=late");

        Assert.Equal(1, balancer.Sessions.Count);
    }

    [Fact]
    public async Task A_session_whose_host_left_is_reassigned_and_then_sticks_to_the_new_host()
    {
        var balancer = Balancer();
        Assert.Equal(1, await balancer.PortChosenAsync(Instances.Ports(1, 2), "sid=alice"));

        var reassigned = await balancer.PortChosenAsync(Instances.Ports(2, 3), "sid=alice");
        var again = await balancer.PortChosenAsync(Instances.Ports(1, 2, 3), "sid=alice");

        Assert.NotEqual(1, reassigned);
        Assert.Equal(reassigned, again);
    }

    [Fact]
    public async Task Routes_with_the_same_cookie_name_share_sessions()
    {
        var instances = Instances.Ports(1, 2);
        var route1 = Balancer("route1");
        var route2 = Balancer("route2");
        await route1.PortChosenAsync(instances, "sid=alice");
        Assert.Equal(2, await route1.PortChosenAsync(instances, "sid=bob"));

        Assert.Equal(2, await route2.PortChosenAsync(instances, "sid=bob"));
    }

    [Fact]
    public async Task Routes_with_different_cookie_names_keep_separate_sessions()
    {
        var instances = Instances.Ports(1, 2);
        var bySid = Balancer("route1");
        var byTicket = Balancer("route2", Sticky with { Key = "ticket" });
        Assert.Equal(1, await bySid.PortChosenAsync(instances, "sid=alice"));
        Assert.Equal(2, await bySid.PortChosenAsync(instances, "sid=bob"));

        // "bob" is a new session for the other cookie: the second route's own round robin starts at host 1.
        Assert.Equal(1, await byTicket.PortChosenAsync(instances, "ticket=bob"));
    }

    [Fact]
    public async Task Defaults_are_the_ASP_NET_Core_session_cookie_and_twenty_minutes()
    {
        var instances = Instances.Ports(1, 2);
        var balancer = Balancer(options: new LoadBalancerOptions { Type = "CookieStickySessions" });
        Assert.Equal(".AspNetCore.Session", Assert.IsType<CookieStickySessions>(balancer).CookieName);

        Assert.Equal(1, await balancer.PortChosenAsync(instances, ".AspNetCore.Session=s1"));
        _time.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal(1, await balancer.PortChosenAsync(instances, ".AspNetCore.Session=s1"));
        _time.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal(2, await balancer.PortChosenAsync(instances, ".AspNetCore.Session=s1"));
    }

    [Fact]
    public async Task Concurrent_first_requests_of_one_session_agree_on_a_host()
    {
        var instances = Instances.Ports(1, 2, 3, 4);
        var balancer = Balancer();
        using var start = new ManualResetEventSlim();

        var requests = Enumerable.Range(0, 40).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await balancer.PortChosenAsync(instances, "sid=alice");
        })).ToList();
        start.Set();

        Assert.Single((await Task.WhenAll(requests)).Distinct());
    }
}
