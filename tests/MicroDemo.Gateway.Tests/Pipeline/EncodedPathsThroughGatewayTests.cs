using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>
/// Issue 19, defect 2, through the real gateway process: what the downstream receives (its raw request target)
/// for paths encoded once, twice and three times, and that no encoding of a dot-segment gets past the gateway.
/// </summary>
public sealed class EncodedPathsThroughGatewayTests(EncodedPathsThroughGatewayTests.Fixture fixture) : IClassFixture<EncodedPathsThroughGatewayTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public GatewayProcessWithDownstream Stack { get; private set; } = null!;

        public async Task InitializeAsync() => Stack = await GatewayProcessWithDownstream.StartAsync(
            port => OcelotJson(
            [
                Route("/pub/{everything}", "/public/{everything}", port), // a downstream prefix to stay under
                Route("/same/{everything}", "/{everything}", port), // no prefix
                Route("/item/{id}/detail", "/items/{id}", port), // a one-segment placeholder
                Route("/echo/{rest}", "/echo/{rest}", port),
            ]),
            "/echo/ready");

        public async Task DisposeAsync()
        {
            if (Stack is not null)
            {
                await Stack.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("/echo/%2541", "/echo/%2541")]
    [InlineData("/echo/%25252541", "/echo/%25252541")]
    [InlineData("/echo/%41%7e", "/echo/A~")] // escaped unreserved characters are the characters (RFC 3986 §2.3)
    [InlineData("/pub/%252e%252e%252e/x", "/public/%252e%252e%252e/x")]
    [InlineData("/pub/%2e%2e%2e/x", "/public/.../x")]
    [InlineData("/pub/a%2Fb/a%2fb/a%252fb/a%25252Fb", "/public/a%2Fb/a%2fb/a%252fb/a%25252Fb")]
    [InlineData("/pub/a%5cb/a%255Cb", "/public/a%5cb/a%255Cb")]
    [InlineData("/pub/caf%C3%A9/caf%c3%a9", "/public/caf%C3%A9/caf%c3%a9")]
    [InlineData("/pub/x%c0%ae", "/public/x%c0%ae")]
    [InlineData("/pub/a;v=1/b;%3B?q=%2541", "/public/a;v=1/b;%3B?q=%2541")]
    [InlineData("/same/%2541/%252F", "/%2541/%252F")]
    [InlineData("/item/%2541%252F/detail", "/items/%2541%252F")]
    public async Task The_downstream_receives_the_clients_encoding(string sent, string received)
    {
        var echo = await ReadEchoAsync(await fixture.Stack.SendAsync(HttpMethod.Get, sent));

        Assert.Equal(received, echo.RawTarget);
    }

    [Theory]
    [InlineData("/pub/%252e%252e/%252e%252e/etc/passwd")] // the reproduction
    [InlineData("/pub/%2525252e%2525252e/etc/passwd")]
    [InlineData("/pub/%2e%2e/etc/passwd")]
    [InlineData("/pub/%2E%2e/etc/passwd")]
    [InlineData("/pub/../etc/passwd")]
    [InlineData("/pub/x/%2e")]
    [InlineData("/pub/..%2fetc")]
    [InlineData("/pub/..%252Fetc")]
    [InlineData("/pub/..%5cetc")]
    [InlineData("/pub/%c0%ae%c0%ae/etc")]
    [InlineData("/pub/..;/etc")]
    [InlineData("/same/%252e%252e")]
    [InlineData("/item/%252e%252e/detail")]
    [InlineData("/echo/%252e%252e")]
    [InlineData("/nowhere/%2e%2e/x")]
    public async Task A_dot_segment_in_any_encoding_is_refused_with_400(string sent)
    {
        var problem = await ReadProblemAsync(await fixture.Stack.SendAsync(HttpMethod.Get, sent), 400);

        Assert.Equal("Dot-segment in path", problem.GetProperty("title").GetString());
    }
}
