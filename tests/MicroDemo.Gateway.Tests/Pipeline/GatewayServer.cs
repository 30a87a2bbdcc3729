using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>
/// The whole gateway in process on real Kestrel (127.0.0.1, free port), reading an <c>ocelot.json</c> in a
/// temporary folder of its own (deleted on dispose), with every log line captured.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly GatewayFactory _factory;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("microdemo-gateway-pipeline-");

    private GatewayServer(object configuration, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        OcelotFile = Path.Combine(_folder.FullName, "ocelot.json");
        WriteConfiguration(configuration);
        _factory = new GatewayFactory(OcelotFile, Port, settings ?? new Dictionary<string, string?>(), services, Logs);
    }

    public int Port { get; } = FreePorts.Next();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string OcelotFile { get; }

    public LogCapture Logs { get; } = new();

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts the gateway with <paramref name="configuration"/> (serialized as ocelot.json); <paramref name="services"/>
    /// adds to or replaces the gateway's services.
    /// </summary>
    public static GatewayServer Start(object configuration, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var server = new GatewayServer(configuration, settings, services);
        server._factory.UseKestrel();
        server._factory.StartServer();
        return server;
    }

    /// <summary>A client of the real listener; no cookies, no redirects, so tests see exactly what the gateway sent.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>Replaces ocelot.json as an editor would (the gateway watches the file).</summary>
    public void WriteConfiguration(object configuration) =>
        File.WriteAllText(OcelotFile, configuration as string ?? JsonSerializer.Serialize(configuration));

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    /// <summary>One route with the keys every test needs; <paramref name="extra"/> adds or overrides keys.</summary>
    public static JsonObject Route(string upstream, string downstream, int port, object? extra = null)
    {
        var route = new JsonObject
        {
            ["UpstreamPathTemplate"] = upstream,
            ["DownstreamPathTemplate"] = downstream,
            ["DownstreamScheme"] = "http",
            ["DownstreamHostAndPorts"] = new JsonArray(new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = port }),
        };
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                route[key] = value?.DeepClone();
            }
        }

        return route;
    }

    /// <summary>An ocelot.json document with <paramref name="routes"/> and optional GlobalConfiguration / Aggregates.</summary>
    public static JsonObject OcelotJson(IEnumerable<JsonObject> routes, object? global = null, object? aggregates = null)
    {
        var document = new JsonObject { ["Routes"] = new JsonArray(routes.Select(JsonNode (r) => r).ToArray()) };
        if (global is not null)
        {
            document["GlobalConfiguration"] = JsonSerializer.SerializeToNode(global);
        }

        if (aggregates is not null)
        {
            document["Aggregates"] = JsonSerializer.SerializeToNode(aggregates);
        }

        return document;
    }

    public static async Task<Echo> ReadEchoAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<Echo>(body, JsonSerializerOptions.Web)!;
    }

    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private sealed class GatewayFactory(
        string ocelotFile, int port, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services, LogCapture logs)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("urls", $"http://127.0.0.1:{port}");
            builder.UseSetting(OcelotFileLocator.PathSetting, ocelotFile);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(logs));
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        }
    }
}
