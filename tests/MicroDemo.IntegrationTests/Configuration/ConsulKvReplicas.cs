using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicroDemo.IntegrationTests.Security;
using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Configuration;

/// <summary>
/// Two gateway processes started together with <c>Gateway:Configuration:Store=Consul</c> on one Consul agent,
/// and the token service for admin tokens. Their routes lead to the token service's <c>/health/live</c>, so a
/// route answers 200 exactly when a replica runs a configuration that has it. Everything stops on dispose,
/// also when start-up fails half-way.
/// </summary>
public sealed class ConsulKvReplicas : IAsyncLifetime
{
    public const string Key = "microdemo/gateway-replicas";

    private readonly TempDirectory _data = new();
    private readonly int _identityPort = FreePorts.Next();
    private readonly List<AppProcess> _apps = [];

    public ConsulAgent Consul { get; } = new();

    public AppProcess Identity { get; private set; } = null!;

    public AppProcess A { get; private set; } = null!;

    public AppProcess B { get; private set; } = null!;

    public IReadOnlyList<AppProcess> Gateways => [A, B];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>How many replicas logged that they seeded the key while the stack started (later tests may restart Consul).</summary>
    public int SeedersAtStartup { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            await Consul.InitializeAsync();
            var ocelotFile = _data.File("ocelot.json");
            File.WriteAllText(ocelotFile, Document(["/probe/seeded"]).ToJsonString());

            var identity = ServiceSettings.For("identity", Consul.Url, _data.File("identity.db"));
            identity["Identity:Issuer"] = Authority;
            identity[SettingNames.IdentityKeyPath] = _data.File("keys/signing-keys.json");
            Identity = Start(MicroDemoApps.Identity, identity, _identityPort);

            var gateway = ServiceSettings.For("gateway", Consul.Url, _data.File("gateway.db"));
            gateway[SettingNames.ServiceRegisterInConsul] = "false";
            gateway[SettingNames.IdentityAuthority] = Authority;
            gateway[SettingNames.GatewayOcelotFile] = ocelotFile;
            gateway[SettingNames.GatewayConfigurationStore] = "Consul";
            // Started together: both find the key empty, and check-and-set lets only one seed it.
            A = Start(MicroDemoApps.Gateway, gateway);
            B = Start(MicroDemoApps.Gateway, gateway);

            await Identity.WaitUntilPassingAsync(Consul.Client, "identity");
            await Task.WhenAll(Gateways.Select(g => WaitUntilRoutedAsync(g, "/probe/seeded")));
            SeedersAtStartup = Gateways.Count(g => g.Output.Contains($"Consul KV key '{Key}' was empty: seeded it", StringComparison.Ordinal));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A complete configuration whose routes lead to the token service's liveness endpoint.</summary>
    public JsonObject Document(IEnumerable<string> upstreamPaths) => new()
    {
        ["Routes"] = new JsonArray([.. upstreamPaths.Select(path => (JsonNode)new JsonObject
        {
            ["UpstreamPathTemplate"] = path,
            ["UpstreamHttpMethod"] = new JsonArray("GET"),
            ["DownstreamPathTemplate"] = "/health/live",
            ["DownstreamScheme"] = "http",
            ["DownstreamHostAndPorts"] = new JsonArray(new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = _identityPort }),
        })]),
        ["GlobalConfiguration"] = new JsonObject
        {
            ["ServiceDiscoveryProvider"] = new JsonObject
            {
                ["Host"] = "127.0.0.1",
                ["Port"] = Consul.HttpPort,
                ["Type"] = "Consul",
                ["ConfigurationKey"] = Key,
            },
        },
    };

    public async Task<bool> IsRoutedAsync(AppProcess gateway, string path)
    {
        using var response = await Http.GetAsync(new Uri(gateway.Url, path));
        return response.IsSuccessStatusCode;
    }

    public Task WaitUntilRoutedAsync(AppProcess gateway, string path) =>
        gateway.WaitUntilAsync(() => IsRoutedAsync(gateway, path), $"the gateway routes {path}");

    /// <summary>The overall status of <c>/health/ready</c> and the <c>configuration</c> check's description.</summary>
    public async Task<(string Status, string Configuration)> ReadinessAsync(AppProcess gateway)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri(gateway.Url, "health/ready")));
        var check = document.RootElement.GetProperty("checks").GetProperty("configuration");
        return (document.RootElement.GetProperty("status").GetString()!,
            check.GetProperty("status").GetString() + ": " + check.GetProperty("description").GetString());
    }

    public Task<string> AdminTokenAsync() => new TokenClient(Http).ClientCredentialsAsync(Identity.Url, "admin-client", "admin-secret");

    public async Task<HttpResponseMessage> PostConfigurationAsync(AppProcess gateway, JsonObject document, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "administration/configuration"))
        {
            Content = new StringContent(document.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.ToArray().Reverse())
        {
            _apps.Remove(app);
            await app.DisposeAsync();
        }

        await Consul.DisposeAsync();
        Http.Dispose();
        _data.Dispose();
    }

    private string Authority => $"http://127.0.0.1:{_identityPort}";

    private AppProcess Start(MicroDemoApp app, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        var process = AppProcess.Start(app, settings, port);
        _apps.Add(process);
        return process;
    }
}
