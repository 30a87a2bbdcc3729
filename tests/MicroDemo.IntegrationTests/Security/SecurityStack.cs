using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Security;

/// <summary>The security tests share one stack: starting five processes per class would dominate their run time.</summary>
[CollectionDefinition(Name)]
public sealed class SecurityStackCollection : ICollectionFixture<SecurityStack>
{
    public const string Name = "Security stack";
}

/// <summary>
/// The whole stack as real processes on free ports: a Consul agent, identity, users, orders and the gateway
/// running the repository's own ocelot.json (only its Consul port changed). Every process is stopped on
/// dispose, also when start-up fails half-way. Other suites that need the whole stack derive from it and add
/// settings to every app (<see cref="AddSettings"/>).
/// </summary>
public class SecurityStack : IAsyncLifetime
{
    // Token service settings that only identity reads, so SettingNames does not list them.
    private const string IdentityIssuer = "Identity:Issuer";

    private readonly TempDirectory _data = new();
    private readonly ConsulAgent _consul = new();
    private readonly int _identityPort = FreePorts.Next();
    private readonly List<AppProcess> _apps = [];

    /// <summary>
    /// Identity builds OpenIddict's Entity Framework model and opens its SQLite store before it listens, which on a
    /// loaded machine takes longer than the other services' start; a restart gets the time a first start gets.
    /// </summary>
    private static readonly TimeSpan IdentityStartTimeout = TimeSpan.FromSeconds(90);
    private bool _disposed;

    public ConsulAgent Consul => _consul;

    public AppProcess Identity { get; private set; } = null!;

    public AppProcess Users { get; private set; } = null!;

    public AppProcess Orders { get; private set; } = null!;

    public AppProcess Gateway { get; private set; } = null!;

    /// <summary>The token service's URL, which the others are given as <c>Identity:Authority</c>.</summary>
    public string Authority => $"http://127.0.0.1:{_identityPort}";

    /// <summary>The <c>iss</c> of its tokens: <see cref="Authority"/> as an absolute URI, which OpenIddict writes with a trailing slash.</summary>
    public string Issuer => Authority + "/";

    /// <summary>The gateway's ocelot.json, which the admin API rewrites.</summary>
    public string OcelotFile => _data.File("ocelot.json");

    /// <summary>The token service's key file (Identity:KeyPath).</summary>
    public string KeyFile => _data.File("keys/signing-keys.json");

    /// <summary>For absolute URLs: <c>new Uri(stack.Gateway.Url, "api/users")</c>. A hung response fails its test in 30 s, not 100.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public TokenClient Tokens => new(Http);

    public virtual async Task InitializeAsync()
    {
        try
        {
            await _consul.InitializeAsync();
            File.WriteAllText(OcelotFile, RepositoryOcelotJsonFor(_consul.HttpPort));

            Identity = Start(MicroDemoApps.Identity, IdentitySettings(), _identityPort);
            Users = Start(MicroDemoApps.Users, ServiceSettingsWithAuthority("users"));
            Orders = Start(MicroDemoApps.Orders, ServiceSettingsWithAuthority("orders"));
            var gatewaySettings = ServiceSettingsWithAuthority("gateway");
            gatewaySettings[SettingNames.GatewayOcelotFile] = OcelotFile;
            gatewaySettings[SettingNames.ServiceRegisterInConsul] = "true";
            Gateway = Start(MicroDemoApps.Gateway, gatewaySettings);

            await Task.WhenAll(
                Identity.WaitUntilPassingAsync(_consul.Client, "identity", IdentityStartTimeout),
                Users.WaitUntilPassingAsync(_consul.Client, "users"),
                Orders.WaitUntilPassingAsync(_consul.Client, "orders"),
                Gateway.WaitUntilPassingAsync(_consul.Client, "gateway"));

            // The gateway learns instances from its Consul watch: wait until it reaches every service.
            await WaitUntilGatewayIssuesTokensAsync();
            var token = await Tokens.ClientCredentialsAsync(Identity.Url, "demo-client", "demo-secret");
            await WaitUntilGatewayAnswersAsync("api/users", token, "the gateway routes to users");
            await WaitUntilGatewayAnswersAsync("api/orders", token, "the gateway routes to orders");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops identity and starts it again on the same port with the same settings (and key file).</summary>
    public async Task RestartIdentityAsync()
    {
        await StopAsync(Identity);
        Identity = Start(MicroDemoApps.Identity, IdentitySettings(), _identityPort);
        await Identity.WaitUntilPassingAsync(_consul.Client, "identity", IdentityStartTimeout);
        await WaitUntilGatewayIssuesTokensAsync();
    }

    /// <summary>Runs <paramref name="whileStopped"/> with identity stopped, then starts it again, also when <paramref name="whileStopped"/> fails.</summary>
    public async Task WithIdentityStoppedAsync(Func<Task> whileStopped)
    {
        await StopAsync(Identity);
        try
        {
            await whileStopped();
        }
        finally
        {
            Identity = Start(MicroDemoApps.Identity, IdentitySettings(), _identityPort);
            await Identity.WaitUntilPassingAsync(_consul.Client, "identity", IdentityStartTimeout);
            await WaitUntilGatewayIssuesTokensAsync();
        }
    }

    /// <summary>A request with a bearer token (none when <paramref name="token"/> is null).</summary>
    public static HttpRequestMessage Request(HttpMethod method, Uri url, string? token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, string? token, HttpContent? content = null)
    {
        using var request = Request(method, url, token, content);
        return await Http.SendAsync(request);
    }

    /// <summary>Status, body and the gateway's recent output, for assertion messages.</summary>
    public async Task<string> ExplainAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Headers.WwwAuthenticate} {await response.Content.ReadAsStringAsync()}\n"
        + $"--- gateway output (tail):\n{Tail(Gateway.Output)}";

    public virtual async Task DisposeAsync()
    {
        // Runs twice when start-up fails: once from InitializeAsync, once from xunit.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var app in _apps.ToArray().Reverse())
        {
            await StopAsync(app);
        }

        await _consul.DisposeAsync();
        Http.Dispose();
        _data.Dispose();
    }

    private AppProcess Start(MicroDemoApp app, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        var process = AppProcess.Start(app, settings, port);
        _apps.Add(process);
        return process;
    }

    private async Task StopAsync(AppProcess app)
    {
        _apps.Remove(app);
        await app.DisposeAsync();
    }

    private Dictionary<string, string> IdentitySettings()
    {
        var settings = ServiceSettings.For("identity", _consul.Url, _data.File("identity.db"));
        settings[IdentityIssuer] = Authority;
        settings[SettingNames.IdentityKeyPath] = KeyFile;
        AddSettings(settings);
        return settings;
    }

    private Dictionary<string, string> ServiceSettingsWithAuthority(string serviceName)
    {
        var settings = ServiceSettings.For(serviceName, _consul.Url, _data.File($"{serviceName}.db"));
        settings[SettingNames.IdentityAuthority] = Authority;
        AddSettings(settings);
        return settings;
    }

    /// <summary>Settings a derived stack gives every app it starts (identity, users, orders, the gateway).</summary>
    protected virtual void AddSettings(Dictionary<string, string> settings)
    {
    }

    private Task WaitUntilGatewayIssuesTokensAsync() =>
        Gateway.WaitUntilAsync(
            async () =>
            {
                using var response = await Tokens.RequestAsync(Gateway.Url, "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret");
                return response.IsSuccessStatusCode;
            },
            "the gateway routes /connect/token to identity");

    private Task WaitUntilGatewayAnswersAsync(string path, string token, string what) =>
        Gateway.WaitUntilAsync(
            async () =>
            {
                using var response = await SendAsync(HttpMethod.Get, new Uri(Gateway.Url, path), token);
                return response.IsSuccessStatusCode;
            },
            what);

    /// <summary>The repository's ocelot.json, unchanged but for the Consul port: the tests run the real demo routes.</summary>
    private static string RepositoryOcelotJsonFor(int consulPort)
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "ocelot.json")))!;
        document["GlobalConfiguration"]!["ServiceDiscoveryProvider"]!["Port"] = consulPort;
        return document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];
}
