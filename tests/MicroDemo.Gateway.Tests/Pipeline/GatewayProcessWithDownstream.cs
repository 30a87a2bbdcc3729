using System.Text.Json;
using MicroDemo.Testing;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>
/// The built gateway executable (<see cref="GatewayProcess"/>) in front of one echoing <see cref="Downstream"/>,
/// with an ocelot.json of the test's choosing in a temporary folder; everything is stopped and deleted on dispose.
/// </summary>
public sealed class GatewayProcessWithDownstream : IAsyncDisposable
{
    // The path and query are sent exactly as given: a plain Uri would decode some escapes and remove dot-segments first.
    private static readonly UriCreationOptions AsGiven = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly DirectoryInfo _folder;

    private GatewayProcessWithDownstream(DirectoryInfo folder, Downstream downstream, GatewayProcess gateway, int port)
    {
        _folder = folder;
        Downstream = downstream;
        Gateway = gateway;
        BaseAddress = $"http://127.0.0.1:{port}";
    }

    public Downstream Downstream { get; }

    public GatewayProcess Gateway { get; }

    public string BaseAddress { get; }

    public HttpClient Client { get; } = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    /// <summary>Starts both and waits until <paramref name="readyPath"/> answers 2xx through the gateway.</summary>
    public static async Task<GatewayProcessWithDownstream> StartAsync(Func<int, object> configuration, string readyPath)
    {
        var folder = Directory.CreateTempSubdirectory("microdemo-gateway-process-");
        var downstream = await Downstream.StartAsync();
        var file = Path.Combine(folder.FullName, "ocelot.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(configuration(downstream.Port)));
        var port = FreePorts.Next();
        var started = new GatewayProcessWithDownstream(folder, downstream, GatewayProcess.Start("--ocelot", file, "--urls", $"http://127.0.0.1:{port}"), port);
        try
        {
            await Eventually.MatchAsync(
                async () =>
                {
                    Assert.False(started.Gateway.HasExited, started.Gateway.Output);
                    return await started.SendAsync(HttpMethod.Get, readyPath);
                },
                response => response.IsSuccessStatusCode,
                "the gateway process answers");
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends <paramref name="pathAndQuery"/> as written (like <c>curl --path-as-is</c>).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content = null)
        => Client.SendAsync(new HttpRequestMessage(method, UriFor(pathAndQuery)) { Content = content });

    /// <summary>The gateway's URI for <paramref name="pathAndQuery"/>, which a request sends exactly as written.</summary>
    public Uri UriFor(string pathAndQuery) => new(BaseAddress + pathAndQuery, AsGiven);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        await Downstream.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
