using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Testing;
using static MicroDemo.Gateway.Tests.Pipeline.GatewayServer;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>Start-up behaviour of the real executable: exit codes, output and listeners.</summary>
public sealed class GatewayProcessTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("microdemo-gateway-process-");
    private Downstream _downstream = null!;

    public async Task InitializeAsync() => _downstream = await Downstream.StartAsync();

    public async Task DisposeAsync()
    {
        await _downstream.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Invalid_file_at_start_exits_with_1_and_lists_file_route_and_key()
    {
        var file = WriteOcelotJson(OcelotJson([Route("/fine", "/fine", _downstream.Port), Route("/broken", "no-slash", _downstream.Port)]));
        await using var gateway = GatewayProcess.Start("--ocelot", file, "--urls", $"http://127.0.0.1:{FreePorts.Next()}");

        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        var error = gateway.Output.Split('\n').Single(line => line.Contains("DownstreamPathTemplate", StringComparison.Ordinal));
        Assert.Contains("ocelot.json", error);
        Assert.Contains("/broken", error);
        Assert.Contains("no-slash", error);
        Assert.DoesNotContain("   at ", gateway.Output); // no stack trace
    }

    [Fact]
    public async Task Https_listener_answers_HTTP2_over_TLS()
    {
        using var certificate = CreateCertificate();
        var httpsPort = FreePorts.Next();
        await using var gateway = await StartWithHttpsAsync(certificate, FreePorts.Next(), httpsPort, $"--{GatewayKestrelExtensions.HttpsHostKey}", "127.0.0.1");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString() },
        });

        var response = await Eventually.MatchAsync(
            async () =>
            {
                Assert.False(gateway.HasExited, gateway.Output);
                return await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{httpsPort}/over/tls")
                {
                    Version = HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                });
            },
            r => r.IsSuccessStatusCode,
            "the HTTPS listener answers");

        Assert.Equal(HttpVersion.Version20, response.Version);
        var echo = JsonSerializer.Deserialize<Echo>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
        Assert.Equal(("/over/tls", "https"), (echo.Path, echo.Header("X-Forwarded-Proto")));
    }

    [Fact]
    public async Task Every_listener_is_on_loopback_when_no_host_is_configured()
    {
        // Issue 19: the HTTPS listener used to bind every interface (https://[::]:port).
        using var certificate = CreateCertificate();
        var httpPort = FreePorts.Next();
        var httpsPort = FreePorts.Next();
        await using var gateway = await StartWithHttpsAsync(certificate, httpPort, httpsPort);

        await Eventually.TrueAsync(
            () => gateway.HasExited ? throw new InvalidOperationException(gateway.Output) : gateway.Output.Contains("Application started", StringComparison.Ordinal),
            "the gateway has started");

        Assert.Contains($"Now listening on: https://127.0.0.1:{httpsPort}", gateway.Output);
        Assert.All([.. ListeningSockets.AddressesOn(httpsPort), .. ListeningSockets.AddressesOn(httpPort)], address => Assert.True(IPAddress.IsLoopback(address), $"a listener on {address}"));
        Assert.NotEmpty(ListeningSockets.AddressesOn(httpsPort));
    }

    /// <summary>The gateway in front of the downstream, with an HTTPS listener using <paramref name="certificate"/>.</summary>
    private async Task<GatewayProcess> StartWithHttpsAsync(X509Certificate2 certificate, int httpPort, int httpsPort, params string[] extraArguments)
    {
        var pfx = Path.Combine(_folder.FullName, "gateway.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        var file = WriteOcelotJson(OcelotJson([Route("/{everything}", "/{everything}", _downstream.Port)]));
        return GatewayProcess.Start([
            "--ocelot", file,
            "--urls", $"http://127.0.0.1:{httpPort}",
            $"--{GatewayKestrelExtensions.HttpsPortKey}", httpsPort.ToString(),
            $"--{GatewayKestrelExtensions.HttpsCertificatePathKey}", pfx,
            $"--{GatewayKestrelExtensions.HttpsCertificatePasswordKey}", "test-password",
            .. extraArguments]);
    }

    private string WriteOcelotJson(object configuration)
    {
        var file = Path.Combine(_folder.FullName, "ocelot.json");
        File.WriteAllText(file, JsonSerializer.Serialize(configuration));
        return file;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }
}
