using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;

namespace MicroDemo.Gateway.Hosting;

public static class GatewayKestrelExtensions
{
    /// <summary>Bytes; absent means no limit (see <see cref="ConfigureGatewayKestrel"/>).</summary>
    public const string MaxRequestBodySizeKey = "Gateway:Kestrel:MaxRequestBodySize";
    public const string InlineSchedulingKey = "Gateway:Kestrel:InlineScheduling";
    public const string HttpsPortKey = "Gateway:Https:Port";
    public const string HttpsHostKey = "Gateway:Https:Host";
    public const string HttpsCertificatePathKey = "Gateway:Https:CertificatePath";
    public const string HttpsCertificatePasswordKey = "Gateway:Https:CertificatePassword";

    /// <summary>Where a listener binds when nothing says otherwise: loopback, so nothing is exposed by accident.</summary>
    public const string DefaultHost = "127.0.0.1";

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
    /// <item>inline scheduling (<c>Gateway:Kestrel:InlineScheduling</c>, on by default), see <see cref="UseInlineScheduling"/>;</item>
    /// <item>the connection count and the slow-client timeouts of <see cref="GatewayLimitsOptions"/> (<c>Gateway:Limits</c>).</item>
    /// </list>
    /// Every listener is on loopback unless configured otherwise: the HTTPS one on <c>Gateway:Https:Host</c>
    /// (default 127.0.0.1), the HTTP ones as <c>--urls</c> / <c>ASPNETCORE_URLS</c> say (default http://127.0.0.1:5000).
    /// Containers listen on every interface by setting both explicitly.
    /// </summary>
    public static WebApplicationBuilder ConfigureGatewayKestrel(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var maxRequestBodySize = ReadOptionalLong(configuration, MaxRequestBodySizeKey);
        // Read here, before the container exists: Kestrel's limits are fixed when it starts.
        var limits = configuration.GetSection(GatewayLimitsOptions.SectionName).Get<GatewayLimitsOptions>() ?? new GatewayLimitsOptions();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxRequestBodySize;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections > 0 ? limits.MaxConcurrentConnections : null;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = limits.MinRequestBodyBytesPerSecond > 0
                ? new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.MinRequestBodyGracePeriod)
                : null;
        });

        if (configuration.GetValue(InlineSchedulingKey, defaultValue: true))
        {
            UseInlineScheduling(builder);
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
        var host = configuration[HttpsHostKey] is { Length: > 0 } configuredHost ? configuredHost : DefaultHost;

        // Listen() in code would silently replace --urls, so the HTTPS address joins the configured URLs instead.
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = $"http://{DefaultHost}:5000";
        }

        builder.WebHost.UseUrls($"{urls};https://{host}:{httpsPort}");
        // CreateSlimBuilder leaves https:// addresses unsupported until asked; CreateBuilder already has this.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        return builder;
    }

    /// <summary>
    /// Runs request processing on the I/O threads instead of hopping to the thread pool. On a small machine
    /// most of a proxy's cost is those hops (context switches), not its own code: together with the runtime's
    /// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> (an environment variable, read once per process,
    /// so ./demo, the Dockerfile and bench/run.sh set it for the gateway) it cuts the gateway's CPU per request
    /// by about a fifth (docs/benchmarks.md). It is safe only because nothing on the gateway's request path
    /// blocks a thread: every step awaits its I/O, locks are held for a few instructions, and the console
    /// logger drops lines instead of waiting when its queue is full. Code that blocks (a synchronous HTTP call,
    /// Task.Result) must not be added to the pipeline while this is on; set
    /// <c>Gateway:Kestrel:InlineScheduling</c> to false to go back to the thread pool.
    /// </summary>
    private static void UseInlineScheduling(WebApplicationBuilder builder)
    {
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
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
