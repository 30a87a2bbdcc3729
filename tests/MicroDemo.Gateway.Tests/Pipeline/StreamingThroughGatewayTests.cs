using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using MicroDemo.Gateway.Tests.Forwarding;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>Allocation is measured process-wide, so these tests run alone.</summary>
[CollectionDefinition(nameof(StreamingThroughGatewayTests), DisableParallelization = true)]
public sealed class StreamingCollection;

[Collection(nameof(StreamingThroughGatewayTests))]
public sealed class StreamingThroughGatewayTests : GatewayWithDownstream
{
    private const long Payload = 100L * 1024 * 1024;

    // The gateway buffers neither body: everything it, the stand-in and the client allocate stays far below the payload.
    private const long AllocationBound = 30L * 1024 * 1024;

    protected override object Configuration(int downstreamPort) =>
        OcelotJson(
        [
            Route("/upload", "/upload", downstreamPort, new { UpstreamHttpMethod = new[] { "POST" } }),
            Route("/download/{bytes}", "/download/{bytes}", downstreamPort),
            Route("/ws", "/ws", downstreamPort, new { DownstreamScheme = "ws" }),
        ]);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Warm up connections, JIT and pools so the measurement sees the transfer only.
        await Client.GetByteArrayAsync("/download/1024");
    }

    [Fact]
    public async Task Upload_of_100_MB_streams_through()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);

        using var content = new StreamContent(new PatternStream(Payload), 64 * 1024);
        content.Headers.ContentLength = Payload;
        using var response = await Client.PostAsync("/upload", content);
        var uploaded = await response.Content.ReadFromJsonAsync<UploadResult>();

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(Payload, uploaded!.Bytes);
        Assert.True(allocated < AllocationBound, $"allocated {allocated / 1024 / 1024} MB for a {Payload / 1024 / 1024} MB upload");
    }

    [Fact]
    public async Task Download_of_100_MB_streams_through()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);

        using var response = await Client.GetAsync($"/download/{Payload}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(Payload, total);
        Assert.True(allocated < AllocationBound, $"allocated {allocated / 1024 / 1024} MB for a {Payload / 1024 / 1024} MB download");
    }

    [Fact]
    public async Task WebSocket_echoes_through_a_ws_route()
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{Gateway.Port}/ws"), timeout.Token);

        foreach (var text in new[] { "hello", "through the gateway" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(text, Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    private sealed record UploadResult(long Bytes);
}
