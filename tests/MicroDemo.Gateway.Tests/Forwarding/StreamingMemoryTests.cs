using MicroDemo.Gateway.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Xunit.Abstractions;

namespace MicroDemo.Gateway.Tests.Forwarding;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StreamingMemoryCollection
{
    public const string Name = "Allocation measurements (run alone)";
}

/// <summary>
/// 100 MB each way through the gateway. Client, gateway and downstream share this process, so the allocation
/// delta bounds what the gateway allocated; a buffering forwarder would allocate at least the payload size.
/// </summary>
[Collection(StreamingMemoryCollection.Name)]
public sealed class StreamingMemoryTests(ITestOutputHelper output)
{
    private const long PayloadSize = 100L * 1024 * 1024;
    private const long AllocationBudget = 16L * 1024 * 1024;

    [Fact]
    public async Task Upload_of_100_MB_streams_with_flat_memory()
    {
        long received = -1;
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            context.Features.GetRequiredFeature<IHttpMaxRequestBodySizeFeature>().MaxRequestBodySize = null;
            received = await PatternStream.VerifyAsync(context.Request.Body, context.RequestAborted);
            await context.Response.WriteAsync("ok");
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = TestClients.Create();
        await WarmUpAsync(client, gateway);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var content = new StreamContent(new PatternStream(PayloadSize), StreamCopier.BufferSize);
        content.Headers.ContentLength = PayloadSize;
        using var response = await client.PostAsync(new Uri(gateway.BaseAddress, "/api/upload"), content);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"allocated {allocated / 1024} KB for a {PayloadSize / 1024 / 1024} MB upload");

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(PayloadSize, received);
        Assert.InRange(allocated, 0, AllocationBudget);
    }

    [Fact]
    public async Task Download_of_100_MB_streams_with_flat_memory()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            var size = context.Request.Path.Value!.EndsWith("/warm", StringComparison.Ordinal) ? 1000 : PayloadSize;
            context.Response.ContentLength = size;
            await new PatternStream(size).CopyToAsync(context.Response.Body, StreamCopier.BufferSize, context.RequestAborted);
        }));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress);
        using var client = TestClients.Create();
        await WarmUpAsync(client, gateway);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/api/download"), HttpCompletionOption.ResponseHeadersRead);
        var length = await PatternStream.VerifyAsync(await response.Content.ReadAsStreamAsync());
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"allocated {allocated / 1024} KB for a {PayloadSize / 1024 / 1024} MB download");

        Assert.Equal(PayloadSize, length);
        Assert.InRange(allocated, 0, AllocationBudget);
    }

    private static async Task WarmUpAsync(HttpClient client, TestGateway gateway)
    {
        // First-call costs (JIT, connection set-up) are not streaming costs.
        using var warmUp = new StreamContent(new PatternStream(1000));
        using var response = await client.PostAsync(new Uri(gateway.BaseAddress, "/api/warm"), warmUp);
        await response.Content.ReadAsByteArrayAsync();
    }
}
