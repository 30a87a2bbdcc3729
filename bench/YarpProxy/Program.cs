// YARP in the two ways it is used, the "yarp" and "yarp-forwarder" arms of bench/run.sh:
//   config mode (default): one route and one cluster from appsettings.json, the backend named on the command line
//     with --ReverseProxy:Clusters:backend:Destinations:backend:Address=http://127.0.0.1:<port>/
//   --mode forwarder --target http://127.0.0.1:<port>/: direct forwarding, IHttpForwarder behind MapForwarder, what a
//     gateway with its own routing would build on.
// Both with YARP's default transforms (X-Forwarded-For/-Proto/-Host added, Host from the destination): the header
// work nginx and the gateway do.

// Settings ship next to the binary, whatever the working directory.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    // As the gateway: bodies are streamed through, so no size limit (the 100 MB upload section).
    kestrel.Limits.MaxRequestBodySize = null;
});
// As the gateway runs (with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 from bench/run.sh).
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);

var forwarder = builder.Configuration["mode"] == "forwarder";
if (forwarder)
{
    builder.Services.AddHttpForwarder();
}
else
{
    builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
}

var app = builder.Build();
if (forwarder)
{
    var target = app.Configuration["target"];
    if (!Uri.TryCreate(target, UriKind.Absolute, out _))
    {
        Console.Error.WriteLine("--mode forwarder needs --target, the backend's base address, e.g. --target http://127.0.0.1:5000/");
        return 1;
    }

    app.MapForwarder("/{**catch-all}", target);
}
else
{
    app.MapReverseProxy();
}

app.Run();
return 0;
