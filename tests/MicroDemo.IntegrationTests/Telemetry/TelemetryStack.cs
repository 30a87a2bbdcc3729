using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicroDemo.IntegrationTests.Security;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Telemetry;

[CollectionDefinition(Name)]
public sealed class TelemetryStackCollection : ICollectionFixture<TelemetryStack>
{
    public const string Name = "Telemetry stack";
}

/// <summary>
/// The whole stack of <see cref="SecurityStack"/>, every app exporting traces to one <see cref="OtlpReceiver"/>, and a
/// token for every demo route (users and orders, read and write).
/// </summary>
public sealed class TelemetryStack : SecurityStack
{
    public OtlpReceiver Otlp { get; } = new();

    public string Token { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Token = await Tokens.ClientCredentialsAsync(Identity.Url, "demo-client", "demo-secret");
    }

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

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Otlp.DisposeAsync();
    }

    protected override void AddSettings(Dictionary<string, string> settings)
    {
        foreach (var (name, value) in Otlp.ExporterSettings)
        {
            settings[name] = value;
        }
    }
}
