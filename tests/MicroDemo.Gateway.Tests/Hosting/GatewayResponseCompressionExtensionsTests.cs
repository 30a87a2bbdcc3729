using System.IO.Compression;
using System.Text;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.Tests.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MicroDemo.Gateway.Tests.Hosting;

/// <summary>Compression as the gateway applies it to forwarded responses (real forwarder, real downstream).</summary>
public sealed class GatewayResponseCompressionExtensionsTests
{
    private static readonly string Text = string.Concat(Enumerable.Repeat("{\"name\":\"MicroDemo\",\"kind\":\"user\"},", 200));

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    public async Task Uncompressed_text_from_the_downstream_is_compressed(string acceptEncoding, string expected)
    {
        await using var backend = await StartBackendAsync(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(Text);
        });
        await using var gateway = await StartGatewayAsync(backend, enabled: null);
        using var client = TestClients.Create();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/api/users"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);

        using var response = await client.SendAsync(request);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal([expected], response.Content.Headers.ContentEncoding);
        Assert.True(compressed.Length < Text.Length / 4);
        Assert.Equal(Text, Decompress(expected, compressed));
    }

    [Fact]
    public async Task Response_already_encoded_by_the_downstream_is_passed_through_byte_for_byte()
    {
        var gzipped = Compress(Text);
        await using var backend = await StartBackendAsync(context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = gzipped.Length;
            return context.Response.Body.WriteAsync(gzipped).AsTask();
        });
        await using var gateway = await StartGatewayAsync(backend, enabled: null);
        using var client = TestClients.Create();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/api/users"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");

        using var response = await client.SendAsync(request);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal(gzipped, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Types_outside_the_compressible_list_are_not_compressed()
    {
        var image = new byte[4096];
        await using var backend = await StartBackendAsync(context =>
        {
            context.Response.ContentType = "image/png";
            return context.Response.Body.WriteAsync(image).AsTask();
        });
        await using var gateway = await StartGatewayAsync(backend, enabled: null);
        using var client = TestClients.Create();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/api/avatar"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");

        using var response = await client.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(image, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Compression_can_be_switched_off()
    {
        await using var backend = await StartBackendAsync(context =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(Text);
        });
        await using var gateway = await StartGatewayAsync(backend, enabled: "false");
        using var client = TestClients.Create();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/api/users"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");

        using var response = await client.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(Text, await response.Content.ReadAsStringAsync());
    }

    private static Task<LoopbackServer> StartBackendAsync(RequestDelegate handler)
        => LoopbackServer.StartAsync(app => app.Run(context =>
        {
            // The gateway must not let the downstream compress for it in these tests: they check the gateway's own work.
            context.Request.Headers.AcceptEncoding = default;
            return handler(context);
        }));

    private static Task<TestGateway> StartGatewayAsync(LoopbackServer backend, string? enabled) => TestGateway.StartAsync(
        backend.BaseAddress,
        configureBuilder: builder =>
        {
            if (enabled is not null)
            {
                builder.Configuration[GatewayResponseCompressionExtensions.EnabledKey] = enabled;
            }

            builder.ConfigureGatewayKestrel();
            builder.AddGatewayResponseCompression();
        },
        configurePipeline: app => app.UseGatewayResponseCompression());

    private static byte[] Compress(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private static string Decompress(string encoding, byte[] data)
    {
        using var input = new MemoryStream(data);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(decoder, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
