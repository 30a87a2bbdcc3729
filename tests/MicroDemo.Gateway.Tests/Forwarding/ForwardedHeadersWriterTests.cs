using System.Net;
using MicroDemo.Gateway.Forwarding;
using Microsoft.AspNetCore.Http;

namespace MicroDemo.Gateway.Tests.Forwarding;

public sealed class ForwardedHeadersWriterTests
{
    [Theory]
    [InlineData(null, "10.0.0.1", "10.0.0.1")]
    [InlineData("1.1.1.1", "10.0.0.1", "1.1.1.1, 10.0.0.1")]
    [InlineData("1.1.1.1, 2.2.2.2", "::ffff:10.0.0.1", "1.1.1.1, 2.2.2.2, 10.0.0.1")]
    [InlineData(null, "2001:db8::1", "2001:db8::1")]
    public void X_Forwarded_For_appends_the_peer(string? sentByClient, string peer, string expected)
    {
        var context = Context(peer);
        using var outgoing = new HttpRequestMessage();
        if (sentByClient is not null)
        {
            SentAndCopied(context, outgoing, "X-Forwarded-For", sentByClient);
        }

        ForwardedHeadersWriter.Apply(context, outgoing.Headers, XForwardedHeaders.All);

        Assert.Equal([expected], outgoing.Headers.NonValidated["X-Forwarded-For"]);
    }

    [Fact]
    public void A_chain_sent_on_two_header_lines_becomes_one_list()
    {
        var context = Context("10.0.0.1");
        using var outgoing = new HttpRequestMessage();
        SentAndCopied(context, outgoing, "X-Forwarded-For", "1.1.1.1", "2.2.2.2");

        ForwardedHeadersWriter.Apply(context, outgoing.Headers, XForwardedHeaders.All);

        Assert.Equal(["1.1.1.1, 2.2.2.2, 10.0.0.1"], outgoing.Headers.NonValidated["X-Forwarded-For"]);
    }

    [Fact]
    public void A_chain_the_header_rules_dropped_is_not_brought_back()
    {
        var context = Context("10.0.0.1");
        context.Request.Headers["X-Forwarded-For"] = "1.1.1.1\r\nX-Injected: yes";
        using var outgoing = new HttpRequestMessage();

        ForwardedHeadersWriter.Apply(context, outgoing.Headers, XForwardedHeaders.All);

        Assert.Equal(["10.0.0.1"], outgoing.Headers.NonValidated["X-Forwarded-For"]);
    }

    [Fact]
    public void Proto_and_host_describe_how_the_client_reached_the_gateway()
    {
        using var outgoing = new HttpRequestMessage();

        ForwardedHeadersWriter.Apply(Context("10.0.0.1"), outgoing.Headers, XForwardedHeaders.All);

        Assert.Equal(["https"], outgoing.Headers.NonValidated["X-Forwarded-Proto"]);
        Assert.Equal(["gw.example.com:8443"], outgoing.Headers.NonValidated["X-Forwarded-Host"]);
    }

    [Fact]
    public void Proto_and_host_are_appended_to_an_earlier_proxy()
    {
        var context = Context("10.0.0.1");
        using var outgoing = new HttpRequestMessage();
        SentAndCopied(context, outgoing, "X-Forwarded-Proto", "https");
        SentAndCopied(context, outgoing, "X-Forwarded-Host", "public.example.com");

        ForwardedHeadersWriter.Apply(context, outgoing.Headers, XForwardedHeaders.All);

        Assert.Equal(["https, https"], outgoing.Headers.NonValidated["X-Forwarded-Proto"]);
        Assert.Equal(["public.example.com, gw.example.com:8443"], outgoing.Headers.NonValidated["X-Forwarded-Host"]);
    }

    [Fact]
    public void Only_the_requested_headers_are_added()
    {
        var context = Context("10.0.0.1");
        using var outgoing = new HttpRequestMessage();
        SentAndCopied(context, outgoing, "X-Forwarded-For", "kept as sent");

        ForwardedHeadersWriter.Apply(context, outgoing.Headers, XForwardedHeaders.Proto);

        Assert.Equal(["kept as sent"], outgoing.Headers.NonValidated["X-Forwarded-For"]);
        Assert.Equal(["https"], outgoing.Headers.NonValidated["X-Forwarded-Proto"]);
        Assert.False(outgoing.Headers.NonValidated.Contains("X-Forwarded-Host"));
    }

    [Theory]
    [InlineData(true, new string[0], XForwardedHeaders.All)]
    [InlineData(false, new string[0], XForwardedHeaders.None)]
    [InlineData(true, new[] { "x-forwarded-for" }, XForwardedHeaders.Proto | XForwardedHeaders.Host)]
    [InlineData(true, new[] { "X-Forwarded-Host", "X-Other" }, XForwardedHeaders.For | XForwardedHeaders.Proto)]
    [InlineData(true, new[] { "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host" }, XForwardedHeaders.None)]
    [InlineData(true, new[] { "X-Forwarded-Prefix" }, XForwardedHeaders.All)]
    public void A_route_that_sets_a_forwarded_header_itself_owns_it(bool enabled, string[] headersSetByRoute, XForwardedHeaders expected)
    {
        Assert.Equal(expected, ForwardedHeadersWriter.ForRoute(enabled, headersSetByRoute));
    }

    // What HeaderRules.CopyRequestHeaders leaves behind for a header the client sent with safe values.
    private static void SentAndCopied(HttpContext context, HttpRequestMessage outgoing, string name, params string[] values)
    {
        context.Request.Headers[name] = values;
        outgoing.Headers.TryAddWithoutValidation(name, values);
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
