// The cheapest honest downstream for proxy benchmarks: a fixed payload with Content-Length, size chosen
// with ?s=<bytes> (default 100), so proxy overhead is not hidden behind backend work.
// It is also the token issuer of the authenticated arm (BenchIssuer.cs), so a bench run needs no other service.
using MicroDemo.Bench.Backend;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    // The 100 MB upload section of bench/run.sh streams through the proxies to here.
    kestrel.Limits.MaxRequestBodySize = null;
});

var app = builder.Build();
const int DefaultSize = 100;
const int MaxSize = 16 * 1024 * 1024;
var payloads = new System.Collections.Concurrent.ConcurrentDictionary<int, byte[]>();
var issuer = new BenchIssuer();
app.UseBenchIssuer(issuer);

app.Run(async context =>
{
    var size = DefaultSize;
    if (context.Request.Query["s"] is { Count: 1 } sizes && (!int.TryParse(sizes[0], out size) || size < 0 || size > MaxSize))
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    // An upload (the large-body arm) is drained and its length answered, so the proxy streams it end to end.
    if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            total += read;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture), context.RequestAborted);
        return;
    }

    var payload = payloads.GetOrAdd(size, static n => System.Text.Encoding.ASCII.GetBytes(new string('x', n)));
    context.Response.ContentType = "text/plain";
    context.Response.ContentLength = payload.Length;
    await context.Response.Body.WriteAsync(payload, context.RequestAborted);
});

app.Run();

public partial class Program;
