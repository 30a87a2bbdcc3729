using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Tests.Discovery;

/// <summary>A tiny Kestrel app whose <c>/health</c> a Consul HTTP check can probe; the test flips it between 200 and 503.</summary>
internal sealed class HealthEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _healthy = true;

    private HealthEndpoint(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public string HealthUrl => $"http://127.0.0.1:{Port}/health";

    public bool Healthy
    {
        set => _healthy = value;
    }

    public static async Task<HealthEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new HealthEndpoint(app);
        app.MapGet("/health", () => endpoint._healthy ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        endpoint.Port = new Uri(address).Port;
        return endpoint;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
