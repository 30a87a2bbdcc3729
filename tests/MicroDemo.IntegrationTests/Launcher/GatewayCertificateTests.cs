using System.Net;
using System.Security.Cryptography.X509Certificates;
using MicroDemo.Launcher.Certificates;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Launcher;

/// <summary>The certificate ./demo up makes for the gateway's HTTPS listener.</summary>
public sealed class GatewayCertificateTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Saved_certificate_opens_with_its_password_and_names_localhost_and_127_0_0_1()
    {
        var planned = GatewayCertificate.Plan(_directory.Path);

        planned.Save();

        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(planned.Path, planned.Password);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=localhost", certificate.Subject);
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname(IPAddress.Loopback.ToString()));
        Assert.InRange(certificate.NotAfter, DateTime.Now.AddDays(300), DateTime.Now.AddDays(400));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(planned.Path));
        }
    }

    [Fact]
    public void Each_plan_has_its_own_password_and_none_is_printed()
    {
        var first = GatewayCertificate.Plan(_directory.Path);
        var second = GatewayCertificate.Plan(_directory.Path);

        Assert.NotEqual(first.Password, second.Password);
        Assert.True(first.Password.Length >= 32);
        Assert.DoesNotContain(first.Password, first.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
