// The least a forwarder built on the gateway's stack can do per request: Kestrel in, one SocketsHttpHandler out,
// the client's headers copied, the three X-Forwarded-* headers nginx and the gateway add, the body copied back.
// No routing, policies, timeout, header vetting, request body or error handling: a yardstick, not a proxy.
// bench/run.sh runs it as the "minimal" arm, so the gateway's throughput can be read against what Kestrel and
// SocketsHttpHandler allow on the same machine, and not only against nginx.
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
// As the gateway runs (with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 from bench/run.sh).
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);

var app = builder.Build();
if (!Uri.TryCreate(app.Configuration["target"], UriKind.Absolute, out var target) || target.Scheme != Uri.UriSchemeHttp)
{
    Console.Error.WriteLine("--target: give the backend's base address, e.g. --target http://127.0.0.1:5000");
    return 1;
}

var origin = target.GetLeftPart(UriPartial.Authority);
var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
});

app.Run(async context =>
{
    var request = context.Request;
    using var outgoing = new HttpRequestMessage(HttpMethod.Parse(request.Method), origin + request.Path + request.QueryString);
    foreach (var (name, values) in request.Headers)
    {
        if (!string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
        {
            outgoing.Headers.TryAddWithoutValidation(name, values.ToString());
        }
    }

    outgoing.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
    outgoing.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
    outgoing.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);

    using var response = await invoker.SendAsync(outgoing, context.RequestAborted);
    context.Response.StatusCode = (int)response.StatusCode;
    CopyHeaders(response.Headers.NonValidated, context.Response.Headers);
    CopyHeaders(response.Content.Headers.NonValidated, context.Response.Headers);
    await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
});

app.Run();
return 0;

static void CopyHeaders(HttpHeadersNonValidated from, IHeaderDictionary to)
{
    foreach (var (name, values) in from)
    {
        to[name] = new StringValues(values.ToString());
    }
}
