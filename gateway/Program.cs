using System.Text.Json;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureGatewayKestrel();
builder.AddGatewayResponseCompression();
builder.Services.AddHttpForwarding();

var app = builder.Build();
app.UseGatewayResponseCompression();

// ---- TEMPORARY WIRING (branch gw-forwarding, for bench/run.sh only; the lead replaces it with the pipeline) ----
// Forwards every request to the first DownstreamHostAndPorts entry of the first route in the --ocelot file,
// keeping path and query, with the three forwarder phases the real pipeline will call.
var (downstreamBase, routeName) = ReadFirstRoute(app.Configuration["ocelot"] ?? "ocelot.json");
var forwarder = app.Services.GetRequiredService<HttpForwarder>();
var invoker = app.Services.GetRequiredService<DownstreamClientFactory>().GetInvoker(DownstreamClientSettings.Default);
var options = new DownstreamRequestOptions { RouteName = routeName };

app.Run(async context =>
{
    if (downstreamBase is null)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return;
    }

    var destination = new Uri(string.Concat(downstreamBase, context.Request.Path.Value, context.Request.QueryString.Value));
    try
    {
        using var request = forwarder.CreateRequest(context, destination, options);
        // Same header work as the nginx arm (proxy_add_x_forwarded_for); the Headers area owns this later.
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        using var response = await forwarder.SendAsync(context, request, invoker, options);
        await forwarder.CopyResponseAsync(context, response);
    }
    catch (ForwardingException error)
    {
        await HttpForwarder.WriteErrorAsync(context, error);
    }
});

app.Run();

static (string? DownstreamBase, string RouteName) ReadFirstRoute(string path)
{
    if (!File.Exists(path))
    {
        return (null, "none");
    }

    using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
    if (!document.RootElement.TryGetProperty("Routes", out var routes) || routes.GetArrayLength() == 0)
    {
        return (null, "none");
    }

    var route = routes[0];
    var scheme = route.TryGetProperty("DownstreamScheme", out var s) ? s.GetString() : "http";
    var hostAndPort = route.GetProperty("DownstreamHostAndPorts")[0];
    var name = route.GetProperty("UpstreamPathTemplate").GetString() ?? "/";
    return ($"{scheme}://{hostAndPort.GetProperty("Host").GetString()}:{hostAndPort.GetProperty("Port").GetInt32()}", name);
}
// ---- END TEMPORARY WIRING ----

public partial class Program;
