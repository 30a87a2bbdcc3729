using Microsoft.AspNetCore.ResponseCompression;

namespace MicroDemo.Gateway.Hosting;

/// <summary>
/// Gzip and Brotli for responses the downstream sent uncompressed, using ASP.NET Core's middleware.
/// The middleware leaves a response alone when it already carries a Content-Encoding (checked by
/// <c>ResponseCompressionTests</c>), so a downstream's own compression is never applied twice, and it only
/// compresses the MIME types in <see cref="ResponseCompressionDefaults.MimeTypes"/> (text, JSON, XML, JS, CSS, wasm).
/// </summary>
public static class GatewayResponseCompressionExtensions
{
    public const string EnabledKey = "Gateway:ResponseCompression:Enabled";

    public static WebApplicationBuilder AddGatewayResponseCompression(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!IsEnabled(builder.Configuration))
        {
            return builder;
        }

        builder.Services.AddResponseCompression(options =>
        {
            // HTTPS compression exposes secrets reflected next to attacker-controlled text to BREACH-style
            // attacks; the services behind the gateway return API data, and token endpoints do not echo input.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes;
        });
        return builder;
    }

    /// <summary>Adds the middleware when <c>Gateway:ResponseCompression:Enabled</c> is not false (default true).</summary>
    public static IApplicationBuilder UseGatewayResponseCompression(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return IsEnabled(app.ApplicationServices.GetRequiredService<IConfiguration>()) ? app.UseResponseCompression() : app;
    }

    private static bool IsEnabled(IConfiguration configuration)
    {
        var text = configuration[EnabledKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        return bool.TryParse(text, out var enabled)
            ? enabled
            : throw new InvalidOperationException($"Configuration key '{EnabledKey}' must be true or false, but is '{text}'.");
    }
}
