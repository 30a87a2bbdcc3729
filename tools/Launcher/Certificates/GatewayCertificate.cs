using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MicroDemo.Launcher.Certificates;

/// <summary>The gateway's HTTPS certificate: a .pfx file and the password that opens it.</summary>
internal sealed record GatewayCertificate(string Path, string Password)
{
    /// <summary>Where the certificate will be, with a fresh random password (nothing is written yet).</summary>
    public static GatewayCertificate Plan(string directory) =>
        new(System.IO.Path.Combine(directory, "gateway.pfx"), Convert.ToHexString(RandomNumberGenerator.GetBytes(24)));

    /// <summary>The same certificate as PEM, for the nginx edge, which cannot read a .pfx.</summary>
    public string PemCertificatePath => System.IO.Path.ChangeExtension(Path, ".crt");

    /// <summary>The PEM private key (unencrypted, so readable by the owner only), for the nginx edge.</summary>
    public string PemKeyPath => System.IO.Path.ChangeExtension(Path, ".key");

    /// <summary>
    /// Writes a fresh self-signed certificate for localhost and 127.0.0.1, protected by <see cref="Password"/>.
    /// It is only for the local demo: browsers and curl need <c>-k</c> or an explicit trust to accept it.
    /// </summary>
    public void Save()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        File.WriteAllBytes(Path, certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, Password));
        File.WriteAllText(PemCertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(PemKeyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetUnixFileMode(PemKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>The path only: the password must never reach a log or a console.</summary>
    public override string ToString() => Path;
}
