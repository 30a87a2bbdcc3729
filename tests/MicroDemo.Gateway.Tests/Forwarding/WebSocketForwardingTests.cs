using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MicroDemo.Gateway.Tests.Forwarding;

public sealed class WebSocketForwardingTests
{
    [Fact]
    public async Task Http11_websocket_echo_carries_subprotocol_and_headers_and_closes_cleanly()
    {
        await using var backend = await StartEchoBackendAsync();
        await using var gateway = await TestGateway.StartAsync(new Uri($"ws://127.0.0.1:{backend.BaseAddress.Port}"));
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("chat.v1");
        socket.Options.SetRequestHeader("X-Tenant", "blue");

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.BaseAddress.Port}/api/ws"), CancellationToken.None);
        await AssertEchoAsync(socket);

        Assert.Equal("chat.v1", socket.SubProtocol);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal("bye", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Http2_websocket_client_is_bridged_to_an_http11_downstream()
    {
        await using var backend = await StartEchoBackendAsync();
        await using var gateway = await TestGateway.StartAsync(new Uri($"ws://127.0.0.1:{backend.BaseAddress.Port}"), protocols: HttpProtocols.Http2);
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("chat.v1");
        socket.Options.SetRequestHeader("X-Tenant", "blue");
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.BaseAddress.Port}/api/ws"), invoker, CancellationToken.None);
        await AssertEchoAsync(socket);

        Assert.Equal(HttpStatusCode.OK, socket.HttpStatusCode);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task Non_upgrade_answer_to_a_websocket_request_is_passed_through()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }));
        await using var gateway = await TestGateway.StartAsync(new Uri($"ws://127.0.0.1:{backend.BaseAddress.Port}"));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.BaseAddress.Port}/api/ws"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    private static async Task AssertEchoAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, timeout.Token);
        var (type, text) = await ReceiveAsync(socket, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal("blue:hello", Encoding.UTF8.GetString(text));

        // Larger than any single copy buffer: the message crosses the tunnel in pieces.
        var binary = RandomNumberGenerator.GetBytes(300_000);
        await socket.SendAsync(binary, WebSocketMessageType.Binary, true, timeout.Token);
        var (binaryType, echoed) = await ReceiveAsync(socket, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, binaryType);
        Assert.Equal([.. Encoding.UTF8.GetBytes("blue:"), .. binary], echoed);
    }

    private static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return (result.MessageType, message.ToArray());
    }

    /// <summary>Echoes every message prefixed with the X-Tenant request header; accepts the first offered subprotocol.</summary>
    private static Task<LoopbackServer> StartEchoBackendAsync() => LoopbackServer.StartAsync(
        app =>
        {
            app.UseWebSockets();
            app.Run(async context =>
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    return;
                }

                var prefix = Encoding.UTF8.GetBytes($"{context.Request.Headers["X-Tenant"]}:");
                using var socket = await context.WebSockets.AcceptWebSocketAsync(context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault());
                while (true)
                {
                    var (type, payload) = await ReceiveAsync(socket, context.RequestAborted);
                    if (type == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, context.RequestAborted);
                        return;
                    }

                    await socket.SendAsync(new ArraySegment<byte>([.. prefix, .. payload]), type, true, context.RequestAborted);
                }
            });
        },
        protocols: HttpProtocols.Http1);
}
