using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Users.Tests.ServiceDefaults;

/// <summary>A minimal service built on ServiceDefaults, listening on a real free port (Consul must be able to call it).</summary>
public sealed class TestService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestService(WebApplication app, int port, LogCapture logs)
    {
        Logs = logs;
        _app = app;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    /// <summary>What the registration service logged.</summary>
    public IEnumerable<string> RegistrationLog => Logs.Entries
        .Where(line => line.Category.EndsWith("ConsulRegistrationService", StringComparison.Ordinal))
        .Select(line => line.Message);

    private LogCapture Logs { get; }

    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings, LogCapture? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGet("/hello", () => "hello");
        return app;
    }

    public static async Task<TestService> StartAsync(Uri consulUrl, string name, string version = "2.0.0")
    {
        var logs = new LogCapture();
        var app = Build(new Dictionary<string, string?>
        {
            [SettingNames.ServiceName] = name,
            [SettingNames.ServiceVersion] = version,
            [SettingNames.ConsulUrl] = consulUrl.ToString(),
        }, logs);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestService(app, new Uri(address).Port, logs);
    }

    /// <summary>A graceful stop, as on SIGTERM.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
