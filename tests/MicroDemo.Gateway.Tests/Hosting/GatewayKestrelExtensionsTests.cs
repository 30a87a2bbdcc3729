using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.Tests.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MicroDemo.Gateway.Tests.Hosting;

public sealed class GatewayKestrelExtensionsTests : IDisposable
{
    private const string Password = "test-password";
    private readonly string _directory = Directory.CreateTempSubdirectory("microdemo-https-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Https_endpoint_serves_http2_and_http11_with_the_configured_certificate_and_no_server_header()
    {
        var certificatePath = WriteCertificate();
        await using var server = await LoopbackServer.StartAsync(
            app => app.Run(context => context.Response.WriteAsync(context.Request.Protocol)),
            builder =>
            {
                builder.Configuration[GatewayKestrelExtensions.HttpsPortKey] = "0";
                builder.Configuration[GatewayKestrelExtensions.HttpsHostKey] = "127.0.0.1";
                builder.Configuration[GatewayKestrelExtensions.HttpsCertificatePathKey] = certificatePath;
                builder.Configuration[GatewayKestrelExtensions.HttpsCertificatePasswordKey] = Password;
                builder.ConfigureGatewayKestrel();
            });
        var https = server.Addresses.Single(a => a.Scheme == Uri.UriSchemeHttps);
        using var client = TestClients.Create(handler => handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate?.Subject == "CN=microdemo-test");

        using var http2 = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, https) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        using var http11 = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, https) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        using var plain = await client.GetAsync(server.BaseAddress);

        Assert.Equal("HTTP/2", await http2.Content.ReadAsStringAsync());
        Assert.Equal("HTTP/1.1", await http11.Content.ReadAsStringAsync());
        Assert.Equal("HTTP/1.1", await plain.Content.ReadAsStringAsync());
        Assert.False(http2.Headers.Contains("Server"));
        Assert.False(plain.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Gateway_forwards_with_inline_scheduling_switched_on()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("inline")));
        await using var gateway = await TestGateway.StartAsync(backend.BaseAddress, configureBuilder: builder =>
        {
            builder.Configuration[GatewayKestrelExtensions.InlineSchedulingKey] = "true";
            builder.ConfigureGatewayKestrel();
        });
        using var client = TestClients.Create();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetStringAsync(new Uri(gateway.BaseAddress, "/api/x"))));

        Assert.All(responses, body => Assert.Equal("inline", body));
    }

    [Fact]
    public void Missing_certificate_file_is_a_startup_error_naming_key_and_path()
    {
        var missing = Path.Combine(_directory, "nope.pfx");
        var builder = CreateBuilder(missing, Password);

        var error = Assert.Throws<InvalidOperationException>(() => builder.ConfigureGatewayKestrel());

        Assert.Contains(GatewayKestrelExtensions.HttpsCertificatePathKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_certificate_is_a_startup_error_naming_key_and_path_but_not_the_password()
    {
        var path = WriteCertificate();
        var builder = CreateBuilder(path, "wrong-password");

        var error = Assert.Throws<InvalidOperationException>(() => builder.ConfigureGatewayKestrel());

        Assert.Contains(GatewayKestrelExtensions.HttpsCertificatePathKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GatewayKestrelExtensions.HttpsPortKey, "not-a-port")]
    [InlineData(GatewayKestrelExtensions.HttpsPortKey, "70000")]
    [InlineData(GatewayKestrelExtensions.MaxRequestBodySizeKey, "-5")]
    public void Invalid_numbers_are_startup_errors_naming_the_key(string key, string value)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration[key] = value;

        var error = Assert.Throws<InvalidOperationException>(() => builder.ConfigureGatewayKestrel());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static WebApplicationBuilder CreateBuilder(string certificatePath, string password)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration[GatewayKestrelExtensions.HttpsPortKey] = "0";
        builder.Configuration[GatewayKestrelExtensions.HttpsCertificatePathKey] = certificatePath;
        builder.Configuration[GatewayKestrelExtensions.HttpsCertificatePasswordKey] = password;
        return builder;
    }

    private string WriteCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=microdemo-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_directory, "gateway.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
