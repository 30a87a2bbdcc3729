using System.Collections.Concurrent;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Hosting;
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

    private TestGateway(LoopbackServer server, LogCollector logs)
    {
        Server = server;
        Logs = logs;
    }

    public LoopbackServer Server { get; }

    public LogCollector Logs { get; }

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
        var logs = new LogCollector();
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
                builder.Logging.AddFilter<LogCollector>(null, LogLevel.Debug);
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

internal sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CollectingLogger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class CollectingLogger(string category, LogCollector owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception)));
    }
}

internal static class Eventually
{
    /// <summary>Polls until the condition holds; generous timeout because the machine is shared and busy.</summary>
    public static async Task AssertAsync(Func<bool> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeoutSeconds}s waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }
}
