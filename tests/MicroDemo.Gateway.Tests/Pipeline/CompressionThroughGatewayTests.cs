using System.IO.Compression;
using System.Net.Http.Headers;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

public sealed class CompressionThroughGatewayTests : GatewayWithDownstream
{
    protected override object Configuration(int downstreamPort) =>
        OcelotJson([Route("/{everything}", "/{everything}", downstreamPort)]);

    [Fact]
    public async Task Compressible_response_is_gzipped_when_theClient_accepts_it()
    {
        var plain = await (await Client.GetAsync("/text")).Content.ReadAsStringAsync();

        using var response = await SendAsync("/text", "gzip");

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        var gzipped = await response.Content.ReadAsByteArrayAsync();
        Assert.True(gzipped.Length < plain.Length / 4, $"{gzipped.Length} bytes for {plain.Length}");
        Assert.Equal(plain, await GunzipAsync(gzipped));
    }

    [Fact]
    public async Task Response_theDownstream_already_encoded_is_passed_as_is()
    {
        using var response = await SendAsync("/precompressed", "gzip");

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.StartsWith("already compressed", await GunzipAsync(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Nothing_is_compressed_without_Accept_Encoding()
    {
        using var response = await Client.GetAsync("/text");

        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    private Task<HttpResponseMessage> SendAsync(string path, string encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        return Client.SendAsync(request);
    }

    private static async Task<string> GunzipAsync(byte[] gzipped)
    {
        await using var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        return await new StreamReader(gzip).ReadToEndAsync();
    }
}
