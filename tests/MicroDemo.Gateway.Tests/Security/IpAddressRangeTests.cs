using System.Net;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Tests.Security;

public sealed class IpAddressRangeTests
{
    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5", "10.0.0.4", "10.0.0.6")]
    [InlineData("10.0.0.10-10.0.0.20", "10.0.0.10,10.0.0.15,10.0.0.20", "10.0.0.9", "10.0.0.21")]
    [InlineData("192.168.1.1 - 192.168.2.3", "192.168.1.255,192.168.2.0", "192.168.1.0", "192.168.2.4")]
    [InlineData("10.0.0.10-250", "10.0.0.10,10.0.0.250", "10.0.0.9", "10.0.0.251")]
    [InlineData("10.1.0.0/16", "10.1.0.0,10.1.255.255", "10.0.255.255", "10.2.0.0")]
    [InlineData("10.1.2.3/8", "10.0.0.0,10.255.255.255", "9.255.255.255", "11.0.0.0")]
    [InlineData("192.168.0.0/255.255.255.0", "192.168.0.1,192.168.0.255", "192.168.1.0", "192.167.255.255")]
    [InlineData("0.0.0.0/0", "0.0.0.0,255.255.255.255,::ffff:0:0", "::1", "::2")]
    [InlineData("10.0.0.1/32", "10.0.0.1", "10.0.0.0", "10.0.0.2")]
    [InlineData("::1", "::1", "::2", "127.0.0.1")]
    [InlineData("fe80::/10", "fe80::1,febf:ffff::1", "fe7f::1", "fec0::")]
    [InlineData("2001:db8::/32", "2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::", "2001:db7:ffff::")]
    [InlineData("2001:db8::1-2001:db8::ff", "2001:db8::80", "2001:db8::100", "2001:db8::")]
    [InlineData("::/0", "::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "10.0.0.1", "0.0.0.0")]
    public void Entries_cover_exactly_their_addresses(string entry, string inside, string below, string above)
    {
        Assert.True(IpAddressRange.TryParse(entry, out var range, out var reason), reason);

        foreach (var address in inside.Split(','))
        {
            Assert.True(range.Contains(IPAddress.Parse(address)), $"{entry} should contain {address}");
        }

        Assert.False(range.Contains(IPAddress.Parse(below)), $"{entry} should not contain {below}");
        Assert.False(range.Contains(IPAddress.Parse(above)), $"{entry} should not contain {above}");
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1/32")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("10.0.0.1-10.0.0.6", "10.0.0.1/32,10.0.0.2/31,10.0.0.4/31,10.0.0.6/32")]
    [InlineData("10.0.0.0-10.0.1.255", "10.0.0.0/23")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("::1", "::1/128")]
    [InlineData("::/0", "::/0")]
    [InlineData("2001:db8::1-2001:db8::3", "2001:db8::1/128,2001:db8::2/127")]
    public void Ranges_become_the_fewest_networks_that_cover_exactly_them(string entry, string networks)
    {
        Assert.True(IpAddressRange.TryParse(entry, out var range, out var reason), reason);

        Assert.Equal(networks.Split(','), range.ToNetworks().Select(network => network.ToString()));
    }

    [Fact]
    public void An_ipv4_client_on_a_dual_mode_socket_matches_an_ipv4_entry()
    {
        Assert.True(IpAddressRange.TryParse("127.0.0.0/8", out var range, out _));

        Assert.True(range.Contains(IPAddress.Parse("::ffff:127.0.0.1")));
    }

    [Fact]
    public void A_huge_block_is_not_expanded()
    {
        Assert.True(IpAddressRange.TryParse("2001::/16", out var range, out _));

        Assert.Equal(UInt128.One << 112, range.Last - range.First + 1);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("localhost", "is not an IP address")]
    [InlineData("10.0.0.256", "is not an IP address")]
    [InlineData("10", "is not an IP address")]
    [InlineData("10.1-10.0.0.9", "before '-' is not an IP address")]
    [InlineData("10.0.0.0/33", "neither a prefix length")]
    [InlineData("::/129", "neither a prefix length")]
    [InlineData("10.0.0.0/255.0.255.0", "neither a prefix length")]
    [InlineData("10.0.0.0/abc", "neither a prefix length")]
    [InlineData("x/8", "before '/' is not an IP address")]
    [InlineData("10.0.0.20-10.0.0.10", "after its end")]
    [InlineData("10.0.0.20-5", "after its end")]
    [InlineData("10.0.0.1-256", "after '-' is not an IP address")]
    [InlineData("10.0.0.1-::1", "not the same IP version")]
    [InlineData("nope-10.0.0.1", "before '-' is not an IP address")]
    public void Unparseable_entries_give_a_reason(string entry, string reasonPart)
    {
        Assert.False(IpAddressRange.TryParse(entry, out _, out var reason));
        Assert.Contains(reasonPart, reason);
    }

    [Fact]
    public void A_list_reports_each_bad_entry_with_its_position()
    {
        var errors = new List<string>();

        var set = IpAddressSet.Parse(["10.0.0.1", "bogus", "10.0.0.0/40"], "Routes[1].SecurityOptions.IPBlockedList", errors);

        Assert.True(set.Contains(IPAddress.Parse("10.0.0.1")));
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("Routes[1].SecurityOptions.IPBlockedList[1] 'bogus' is invalid:", errors[0]);
        Assert.StartsWith("Routes[1].SecurityOptions.IPBlockedList[2] '10.0.0.0/40' is invalid:", errors[1]);
    }
}
