using MicroDemo.Gateway.LoopDetection;
using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Tests.LoopDetection;

public sealed class ViaHeaderTests
{
    private const string Self = "gateway-127.0.0.1-5000";

    [Theory]
    [InlineData("1.1 gateway-127.0.0.1-5000")]
    [InlineData("1.0 edge, 1.1 gateway-127.0.0.1-5000")]
    [InlineData("HTTP/2 gateway-127.0.0.1-5000 (MicroDemo)")]
    [InlineData("1.1 GATEWAY-127.0.0.1-5000,1.1 other")]
    public void A_hop_received_by_the_gateway_is_found(string via) =>
        Assert.True(ViaHeader.Contains(new StringValues(via), Self));

    [Theory]
    [InlineData("")]
    [InlineData("1.1 gateway-127.0.0.1-50001")]
    [InlineData("1.1 edge (gateway-127.0.0.1-5000)")]
    [InlineData("gateway-127.0.0.1-5000")]
    public void Other_hops_and_mentions_in_comments_are_not(string via) =>
        Assert.False(ViaHeader.Contains(new StringValues(via), Self));

    [Fact]
    public void Every_line_of_a_repeated_header_is_read() =>
        Assert.True(ViaHeader.Contains(new StringValues(["1.1 edge", "1.1 " + Self]), Self));

    [Theory]
    [InlineData("HTTP/1.1", "1.1 gw")]
    [InlineData("HTTP/2", "2 gw")]
    [InlineData("HTTP/1.0", "1.0 gw")]
    public void The_entry_names_the_protocol_version_the_request_arrived_with(string protocol, string expected) =>
        Assert.Equal(expected, ViaHeader.Entry(protocol, "gw"));
}
