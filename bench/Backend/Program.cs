// The cheapest honest downstream for proxy benchmarks: a fixed payload with Content-Length, size chosen
// with ?s=<bytes> (default 100), so proxy overhead is not hidden behind backend work.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

var app = builder.Build();
const int DefaultSize = 100;
const int MaxSize = 16 * 1024 * 1024;
var payloads = new System.Collections.Concurrent.ConcurrentDictionary<int, byte[]>();

app.Run(context =>
{
    var size = DefaultSize;
    if (context.Request.Query["s"] is { Count: 1 } sizes && (!int.TryParse(sizes[0], out size) || size < 0 || size > MaxSize))
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return Task.CompletedTask;
    }

    var payload = payloads.GetOrAdd(size, static n => System.Text.Encoding.ASCII.GetBytes(new string('x', n)));
    context.Response.ContentType = "text/plain";
    context.Response.ContentLength = payload.Length;
    return context.Response.Body.WriteAsync(payload, context.RequestAborted).AsTask();
});

app.Run();

public partial class Program;
