using System.IO.Compression;
using System.Net.Http.Headers;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

public sealed class CompressionThroughGatewayTests : IAsyncLifetime
{
    private Downstream _downstream = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _downstream = await Downstream.StartAsync();
        _gateway = GatewayServer.Start(OcelotJson([Route("/{everything}", "/{everything}", _downstream.Port)]));
        _client = _gateway.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await _gateway.DisposeAsync();
        await _downstream.DisposeAsync();
    }

    [Fact]
    public async Task Compressible_response_is_gzipped_when_the_client_accepts_it()
    {
        var plain = await (await _client.GetAsync("/text")).Content.ReadAsStringAsync();

        using var response = await SendAsync("/text", "gzip");

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        var gzipped = await response.Content.ReadAsByteArrayAsync();
        Assert.True(gzipped.Length < plain.Length / 4, $"{gzipped.Length} bytes for {plain.Length}");
        Assert.Equal(plain, await GunzipAsync(gzipped));
    }

    [Fact]
    public async Task Response_the_downstream_already_encoded_is_passed_as_is()
    {
        using var response = await SendAsync("/precompressed", "gzip");

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.StartsWith("already compressed", await GunzipAsync(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Nothing_is_compressed_without_Accept_Encoding()
    {
        using var response = await _client.GetAsync("/text");

        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    private Task<HttpResponseMessage> SendAsync(string path, string encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        return _client.SendAsync(request);
    }

    private static async Task<string> GunzipAsync(byte[] gzipped)
    {
        await using var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        return await new StreamReader(gzip).ReadToEndAsync();
    }
}
