using System.Net;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Tests.Security;

public sealed class IpSecurityStepTests : IAsyncLifetime
{
    private SecurityTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SecurityTestHost.StartAsync(
            new Dictionary<string, string?>(),
            [
                new TestRoute("/allowed", RouteAuthOptions.None, Options(allowed: ["10.0.0.0/24", "2001:db8::/64"])),
                new TestRoute("/blocked", RouteAuthOptions.None, Options(blocked: ["10.0.0.10-20", "::1"])),
                new TestRoute("/both", RouteAuthOptions.None, Options(allowed: ["10.0.0.15"], blocked: ["10.0.0.0/24"])),
                new TestRoute("/both-excluded", RouteAuthOptions.None, Options(allowed: ["10.0.0.15"], blocked: ["10.0.0.0/24"], exclude: true)),
                new TestRoute("/open", RouteAuthOptions.None),
            ]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/allowed", "10.0.0.7", HttpStatusCode.OK)]
    [InlineData("/allowed", "::ffff:10.0.0.7", HttpStatusCode.OK)]
    [InlineData("/allowed", "2001:db8::abcd", HttpStatusCode.OK)]
    [InlineData("/allowed", "10.0.1.7", HttpStatusCode.Forbidden)]
    [InlineData("/allowed", "2001:db8:0:1::1", HttpStatusCode.Forbidden)]
    [InlineData("/blocked", "10.0.0.15", HttpStatusCode.Forbidden)]
    [InlineData("/blocked", "::1", HttpStatusCode.Forbidden)]
    [InlineData("/blocked", "10.0.0.21", HttpStatusCode.OK)]
    [InlineData("/both", "10.0.0.15", HttpStatusCode.Forbidden)]
    [InlineData("/both", "10.0.1.1", HttpStatusCode.Forbidden)]
    [InlineData("/both-excluded", "10.0.0.15", HttpStatusCode.OK)]
    [InlineData("/both-excluded", "10.0.0.16", HttpStatusCode.Forbidden)]
    [InlineData("/open", "203.0.113.9", HttpStatusCode.OK)]
    public async Task Clients_are_let_through_or_refused_by_address(string route, string client, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, route);
        request.Headers.Add(SecurityTestHost.ClientIpHeader, client);

        var response = await _host.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            var detail = await ProblemAssert.IsProblemAsync(response, expected, route);
            Assert.Contains("client address", detail);
        }
    }

    [Fact]
    public async Task An_unknown_client_address_is_refused_by_an_allow_list_only()
    {
        var allowList = await _host.Client.GetAsync("/allowed");
        var blockList = await _host.Client.GetAsync("/blocked");

        Assert.Equal(HttpStatusCode.Forbidden, allowList.StatusCode);
        Assert.Equal(HttpStatusCode.OK, blockList.StatusCode);
    }

    private static IpSecurityOptions Options(string[]? allowed = null, string[]? blocked = null, bool exclude = false)
    {
        var errors = new List<string>();
        var options = new IpSecurityOptions
        {
            Allowed = IpAddressSet.Parse(allowed, "IPAllowedList", errors),
            Blocked = IpAddressSet.Parse(blocked, "IPBlockedList", errors),
            ExcludeAllowedFromBlocked = exclude,
        };
        Assert.Empty(errors);
        return options;
    }
}
