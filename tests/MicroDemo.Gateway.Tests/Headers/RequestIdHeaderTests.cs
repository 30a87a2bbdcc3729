using Microsoft.AspNetCore.Http;
using MicroDemo.Gateway.Headers;

namespace MicroDemo.Gateway.Tests.Headers;

public sealed class RequestIdHeaderTests
{
    [Fact]
    public void The_clients_request_id_becomes_the_trace_identifier()
    {
        var context = new DefaultHttpContext { TraceIdentifier = "gateway-id" };
        context.Request.Headers["X-Request-Id"] = "client-id";

        RequestIdHeader.Apply(context, "X-Request-Id");

        Assert.Equal("client-id", context.TraceIdentifier);
        Assert.Equal("client-id", context.Request.Headers["X-Request-Id"].ToString());
    }

    [Fact]
    public void Without_one_the_trace_identifier_is_sent_downstream()
    {
        var context = new DefaultHttpContext { TraceIdentifier = "gateway-id" };

        RequestIdHeader.Apply(context, "X-Request-Id");

        Assert.Equal("gateway-id", context.Request.Headers["X-Request-Id"].ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_key_does_nothing(string? key)
    {
        var context = new DefaultHttpContext { TraceIdentifier = "gateway-id" };

        RequestIdHeader.Apply(context, key);

        Assert.Empty(context.Request.Headers);
    }
}
