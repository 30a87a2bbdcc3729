using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>
/// The page, its stylesheet and script, embedded in the gateway's assembly (no front-end build, nothing to deploy
/// beside the gateway), read once. The page learns its own path from a &lt;base&gt; element.
/// </summary>
internal sealed class DashboardAssets
{
    // The page loads only its own files and talks only to its own origin; nobody may frame it.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'self'; frame-ancestors 'none'";

    private static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    };

    private readonly FrozenDictionary<string, byte[]> _files;

    public DashboardAssets(IOptions<DashboardOptions> options)
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var basePath = options.Value.Path.TrimEnd('/') + "/";
        _files = new[] { "index.html", "dashboard.css", "dashboard.js" }.ToFrozenDictionary(name => name, name =>
        {
            using var stream = assembly.GetManifestResourceStream($"Dashboard/{name}")
                ?? throw new InvalidOperationException($"The gateway was built without its dashboard file {name}.");
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            return System.Text.Encoding.UTF8.GetBytes(name == "index.html" ? text.Replace("{{base}}", System.Net.WebUtility.HtmlEncode(basePath), StringComparison.Ordinal) : text);
        });
    }

    public IResult Serve(HttpContext context, string name)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return TypedResults.Bytes(_files[name], ContentTypes[Path.GetExtension(name)]);
    }
}
