using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicroDemo.IntegrationTests.Security;
using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Telemetry;

[CollectionDefinition(Name)]
public sealed class TelemetryStackCollection : ICollectionFixture<TelemetryStack>
{
    public const string Name = "Telemetry stack";
}

/// <summary>
/// The whole stack as real processes on free ports (Consul, identity, users, orders, the gateway with the
/// repository's ocelot.json), every app exporting traces to one <see cref="OtlpReceiver"/>. Every process is
/// stopped on dispose, also when start-up fails half-way.
/// </summary>
public sealed class TelemetryStack : IAsyncLifetime
{
    private const string IdentityIssuer = "Identity:Issuer";

    private readonly TempDirectory _data = new();
    private readonly ConsulAgent _consul = new();
    private readonly int _identityPort = FreePorts.Next();
    private readonly List<AppProcess> _apps = [];
    private bool _disposed;

    public OtlpReceiver Otlp { get; } = new();

    public ConsulAgent Consul => _consul;

    public AppProcess Users { get; private set; } = null!;

    public AppProcess Orders { get; private set; } = null!;

    public AppProcess Gateway { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A token for every demo route (users and orders, read and write).</summary>
    public string Token { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            await _consul.InitializeAsync();
            var ocelotFile = _data.File("ocelot.json");
            var ocelot = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "ocelot.json")))!;
            ocelot["GlobalConfiguration"]!["ServiceDiscoveryProvider"]!["Port"] = _consul.HttpPort;
            File.WriteAllText(ocelotFile, ocelot.ToJsonString());

            var identity = Settings("identity");
            identity[IdentityIssuer] = Authority;
            identity[SettingNames.IdentityKeyPath] = _data.File("keys/signing-keys.json");
            var identityApp = Start(MicroDemoApps.Identity, identity, _identityPort);
            Users = Start(MicroDemoApps.Users, Settings("users"));
            Orders = Start(MicroDemoApps.Orders, Settings("orders"));
            var gateway = Settings("gateway");
            gateway[SettingNames.GatewayOcelotFile] = ocelotFile;
            Gateway = Start(MicroDemoApps.Gateway, gateway);

            await Task.WhenAll(
                identityApp.WaitUntilPassingAsync(_consul.Client, "identity"),
                Users.WaitUntilPassingAsync(_consul.Client, "users"),
                Orders.WaitUntilPassingAsync(_consul.Client, "orders"));
            Token = await new TokenClient(Http).ClientCredentialsAsync(identityApp.Url, "demo-client", "demo-secret");
            await WaitUntilGatewayAnswersAsync("api/users");
            await WaitUntilGatewayAnswersAsync("api/orders");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private string Authority => $"http://127.0.0.1:{_identityPort}";

    /// <summary>A request to the gateway with the stack's token.</summary>
    public HttpRequestMessage GatewayRequest(HttpMethod method, string path, object? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Gateway.Url, path)) { Content = json is null ? null : JsonContent.Create(json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return request;
    }

    /// <summary>Creates a user through the gateway and returns its id.</summary>
    public async Task<long> CreateUserAsync()
    {
        using var request = GatewayRequest(HttpMethod.Post, "api/users", new { name = "Ada", email = $"ada-{Guid.NewGuid():N}@example.com" });
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var app in _apps.ToArray().Reverse())
        {
            await app.DisposeAsync();
        }

        await _consul.DisposeAsync();
        await Otlp.DisposeAsync();
        Http.Dispose();
        _data.Dispose();
    }

    private AppProcess Start(MicroDemoApp app, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        var process = AppProcess.Start(app, settings, port);
        _apps.Add(process);
        return process;
    }

    private Dictionary<string, string> Settings(string serviceName)
    {
        var settings = ServiceSettings.For(serviceName, _consul.Url, _data.File($"{serviceName}.db"));
        settings[SettingNames.IdentityAuthority] = Authority;
        foreach (var (name, value) in Otlp.ExporterSettings)
        {
            settings[name] = value;
        }

        return settings;
    }

    private Task WaitUntilGatewayAnswersAsync(string path) =>
        Gateway.WaitUntilAsync(
            async () =>
            {
                using var request = GatewayRequest(HttpMethod.Get, path);
                using var response = await Http.SendAsync(request);
                return response.IsSuccessStatusCode;
            },
            $"the gateway answers {path}");
}
