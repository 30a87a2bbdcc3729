using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MicroDemo.Gateway.Hosting;

public static class GatewayKestrelExtensions
{
    /// <summary>Bytes; absent means no limit (see <see cref="ConfigureGatewayKestrel"/>).</summary>
    public const string MaxRequestBodySizeKey = "Gateway:Kestrel:MaxRequestBodySize";
    public const string InlineSchedulingKey = "Gateway:Kestrel:UnsafePreferInlineScheduling";
    public const string HttpsPortKey = "Gateway:Https:Port";
    public const string HttpsHostKey = "Gateway:Https:Host";
    public const string HttpsCertificatePathKey = "Gateway:Https:CertificatePath";
    public const string HttpsCertificatePasswordKey = "Gateway:Https:CertificatePassword";

    /// <summary>
    /// Kestrel settings for a forwarding gateway:
    /// <list type="bullet">
    /// <item>no Server header of its own: the downstream's Server header is passed through once, as received;</item>
    /// <item>request body size: unlimited unless <c>Gateway:Kestrel:MaxRequestBodySize</c> is set. The gateway
    /// streams bodies (memory does not grow with the upload), so Kestrel's 30 MB default would only reject large
    /// uploads the services accept; each service enforces its own limit. Set a value to reject early with 413;</item>
    /// <item>an optional HTTPS endpoint (HTTP/1.1 and HTTP/2 via ALPN) on <c>Gateway:Https:Port</c> with the .pfx
    /// certificate at <c>Gateway:Https:CertificatePath</c>, added next to the URLs given by <c>--urls</c> /
    /// <c>ASPNETCORE_URLS</c>. A missing or unreadable certificate stops start-up with an error naming key and path.</item>
    /// </list>
    /// </summary>
    public static WebApplicationBuilder ConfigureGatewayKestrel(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var maxRequestBodySize = ReadOptionalLong(configuration, MaxRequestBodySizeKey);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxRequestBodySize;
        });

        if (configuration.GetValue<bool>(InlineSchedulingKey))
        {
            // Runs request processing on the socket I/O thread instead of hopping to the thread pool: fewer
            // context switches per request, but any blocking call in the pipeline would stall other connections.
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        }

        var httpsPort = ReadOptionalLong(configuration, HttpsPortKey);
        if (httpsPort is null)
        {
            return builder;
        }

        if (httpsPort is < 0 or > 65535)
        {
            throw new InvalidOperationException($"Configuration key '{HttpsPortKey}' must be a port between 0 and 65535, but is {httpsPort}.");
        }

        var certificate = LoadCertificate(configuration);
        var host = configuration[HttpsHostKey] is { Length: > 0 } configuredHost ? configuredHost : "*";

        // Listen() in code would silently replace --urls, so the HTTPS address joins the configured URLs instead.
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = "http://localhost:5000";
        }

        builder.WebHost.UseUrls($"{urls};https://{host}:{httpsPort}");
        // CreateSlimBuilder leaves https:// addresses unsupported until asked; CreateBuilder already has this.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        return builder;
    }

    private static X509Certificate2 LoadCertificate(IConfiguration configuration)
    {
        var path = configuration[HttpsCertificatePathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"Configuration key '{HttpsCertificatePathKey}' is required when '{HttpsPortKey}' is set.");
        }

        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new InvalidOperationException($"The certificate file '{fullPath}' given by '{HttpsCertificatePathKey}' does not exist.");
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(fullPath, configuration[HttpsCertificatePasswordKey]);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"The certificate file '{fullPath}' given by '{HttpsCertificatePathKey}' has no private key.");
            }

            return certificate;
        }
        catch (CryptographicException ex)
        {
            // The message names the file and key, never the password.
            throw new InvalidOperationException(
                $"The certificate file '{fullPath}' given by '{HttpsCertificatePathKey}' cannot be read as a .pfx with the password from '{HttpsCertificatePasswordKey}': {ex.Message}", ex);
        }
    }

    private static long? ReadOptionalLong(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new InvalidOperationException($"Configuration key '{key}' must be a non-negative whole number, but is '{text}'.");
    }
}
