using System.Net;
using MicroDemo.Gateway.Pipeline;
using MicroDemo.Gateway.Security;
using MicroDemo.Gateway.Tests.Security;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Tests.Policies;

/// <summary>
/// The real gateway (its Program.cs) in process on Kestrel at 127.0.0.1 (free port), reading an ocelot.json
/// in a temporary folder that the test can edit. The folder is deleted on dispose.
/// </summary>
internal sealed class GatewayHost : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("microdemo-policies-").FullName;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private GatewayHost(string ocelotJson, IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        File.WriteAllText(OcelotFile, ocelotJson);
    }

    public string OcelotFile => Path.Combine(_folder, "ocelot.json");

    /// <summary>A client of the gateway without cookies or redirects, so every response is seen as sent.</summary>
    public HttpClient Client { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public static GatewayHost Start(string ocelotJson, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = new GatewayHost(ocelotJson, settings ?? new Dictionary<string, string?>());
        try
        {
            host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            host.StartServer();
            var address = host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            host.Address = new Uri(address);
            host.Client = NewClient(host.Address);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Settings that make <paramref name="issuer"/> the gateway's <c>Bearer</c> provider (routes and admin API).</summary>
    public static Dictionary<string, string?> WithBearer(TestTokenIssuer issuer) => new()
    {
        [$"{AuthenticationProviderSettings.SectionName}:Bearer:Authority"] = issuer.Authority,
        [$"{AuthenticationProviderSettings.SectionName}:Bearer:Audience"] = TestTokenIssuer.DefaultAudience,
    };

    public static HttpClient NewClient(Uri address, HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Rewrites ocelot.json, as an operator would, and waits until the gateway routes with it.</summary>
    public async Task EditConfigurationAsync(string ocelotJson)
    {
        var runtime = Services.GetRequiredService<GatewayRuntimeProvider>();
        var before = runtime.Current;
        await File.WriteAllTextAsync(OcelotFile, ocelotJson);
        await Eventually.TrueAsync(() => Task.FromResult(!ReferenceEquals(runtime.Current, before)),
            "the gateway applied the edited ocelot.json", TimeSpan.FromSeconds(20));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Gateway:OcelotFile", OcelotFile);
        builder.UseSetting("Service:RegisterInConsul", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Client?.Dispose();
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }
}
