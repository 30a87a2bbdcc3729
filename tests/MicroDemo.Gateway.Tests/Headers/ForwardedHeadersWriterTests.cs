using Microsoft.AspNetCore.Http;
using System.Net;
using MicroDemo.Gateway.Headers;

namespace MicroDemo.Gateway.Tests.Headers;

public sealed class ForwardedHeadersWriterTests
{
    [Theory]
    [InlineData(null, "10.0.0.1", "10.0.0.1")]
    [InlineData("1.1.1.1", "10.0.0.1", "1.1.1.1, 10.0.0.1")]
    [InlineData("1.1.1.1, 2.2.2.2", "::ffff:10.0.0.1", "1.1.1.1, 2.2.2.2, 10.0.0.1")]
    [InlineData(null, "2001:db8::1", "2001:db8::1")]
    public void X_Forwarded_For_appends_the_peer(string? incoming, string peer, string expected)
    {
        var context = Context(peer);
        if (incoming is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = incoming;
        }

        new ForwardedHeadersWriter(enabled: true).Apply(context, context.Request.Headers);

        Assert.Equal(expected, context.Request.Headers["X-Forwarded-For"].ToString());
    }

    [Fact]
    public void Proto_and_host_describe_how_the_client_reached_the_gateway()
    {
        var context = Context("10.0.0.1");
        var target = new HeaderDictionary();

        new ForwardedHeadersWriter(enabled: true).Apply(context, target);

        Assert.Equal("https", target["X-Forwarded-Proto"].ToString());
        Assert.Equal("gw.example.com:8443", target["X-Forwarded-Host"].ToString());
    }

    [Fact]
    public void Proto_and_host_are_appended_to_an_earlier_proxy()
    {
        var context = Context("10.0.0.1");
        context.Request.Headers["X-Forwarded-Proto"] = "https";
        context.Request.Headers["X-Forwarded-Host"] = "public.example.com";

        new ForwardedHeadersWriter(enabled: true).Apply(context, context.Request.Headers);

        Assert.Equal("https, https", context.Request.Headers["X-Forwarded-Proto"].ToString());
        Assert.Equal("public.example.com, gw.example.com:8443", context.Request.Headers["X-Forwarded-Host"].ToString());
    }

    [Fact]
    public void The_switch_turns_it_off()
    {
        var context = Context("10.0.0.1");

        new ForwardedHeadersWriter(enabled: false).Apply(context, context.Request.Headers);

        Assert.False(context.Request.Headers.ContainsKey("X-Forwarded-For"));
        Assert.False(context.Request.Headers.ContainsKey("X-Forwarded-Proto"));
        Assert.False(context.Request.Headers.ContainsKey("X-Forwarded-Host"));
    }

    private static DefaultHttpContext Context(string peer)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Scheme = "https";
        context.Request.Headers.Host = "gw.example.com:8443";
        return context;
    }
}
