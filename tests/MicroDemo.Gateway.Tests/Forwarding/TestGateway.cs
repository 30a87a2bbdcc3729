using System.Collections.Concurrent;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Tests.Forwarding;

/// <summary>
/// A minimal gateway the way the real one uses the forwarder: every request goes to one downstream base URI
/// (path and query kept) through the three phases. Records each request's final status.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string RouteName = "/api/{everything}";

    private TestGateway(LoopbackServer server, LogCapture logs)
    {
        Server = server;
        Logs = logs;
    }

    public LoopbackServer Server { get; }

    public LogCapture Logs { get; }

    public ConcurrentQueue<int> CompletedStatuses { get; } = new();

    public Uri BaseAddress => Server.BaseAddress;

    /// <param name="configureBuilder">Replaces the default <c>ConfigureGatewayKestrel()</c> call when given.</param>
    public static async Task<TestGateway> StartAsync(
        Uri downstreamBase,
        DownstreamRequestOptions? options = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        HttpProtocols protocols = HttpProtocols.Http1AndHttp2,
        Action<WebApplication>? configurePipeline = null)
    {
        options ??= new DownstreamRequestOptions { RouteName = RouteName };
        var logs = new LogCapture();
        TestGateway? gateway = null;
        var server = await LoopbackServer.StartAsync(
            app =>
            {
                configurePipeline?.Invoke(app);
                var forwarder = app.Services.GetRequiredService<HttpForwarder>();
                var invoker = app.Services.GetRequiredService<DownstreamClientFactory>().GetInvoker(DownstreamClientSettings.Default);
                var prefix = downstreamBase.ToString().TrimEnd('/');
                app.Run(async context =>
                {
                    var destination = new Uri(prefix + context.Request.Path.Value + context.Request.QueryString.Value);
                    try
                    {
                        using var request = forwarder.CreateRequest(context, destination, options);
                        using var response = await forwarder.SendAsync(context, request, invoker, options);
                        await forwarder.CopyResponseAsync(context, response);
                    }
                    catch (ForwardingException error)
                    {
                        await HttpForwarder.WriteErrorAsync(context, error);
                    }

                    gateway!.CompletedStatuses.Enqueue(context.Response.StatusCode);
                });
            },
            builder =>
            {
                builder.Logging.AddProvider(logs);
                // A provider-specific rule wins over the Logging section of the appsettings.json copied in with the gateway.
                builder.Logging.AddFilter<LogCapture>(null, LogLevel.Debug);
                builder.Services.AddHttpForwarding();
                if (configureBuilder is null)
                {
                    builder.ConfigureGatewayKestrel();
                }
                else
                {
                    configureBuilder(builder);
                }
            },
            protocols);
        gateway = new TestGateway(server, logs);
        return gateway;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
