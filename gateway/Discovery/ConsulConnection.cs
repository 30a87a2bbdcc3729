using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// A Consul client for one set of <see cref="ServiceDiscoveryOptions"/>. A configuration reload that changes
/// the options retires it: <see cref="Retired"/> fires, so watchers abandon their in-flight queries and
/// continue against the new connection.
/// </summary>
internal sealed class ConsulConnection : IDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _retired = new();

    public ConsulConnection(ServiceDiscoveryOptions options)
    {
        Options = options;
        // Our own client rather than the services' named one: its address comes from ocelot.json and may change on reload.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = options.ConsulUrl,
            // A blocking query legitimately takes the whole wait plus Consul's jitter (up to wait/16).
            Timeout = ConsulClient.MaxBlockingWait + TimeSpan.FromSeconds(10),
        };
        if (!string.IsNullOrEmpty(options.Token))
        {
            _http.DefaultRequestHeaders.Add("X-Consul-Token", options.Token);
        }

        Client = new ConsulClient(_http);
    }

    public ServiceDiscoveryOptions Options { get; }

    public ConsulClient Client { get; }

    public CancellationToken Retired => _retired.Token;

    public void Dispose()
    {
        _retired.Cancel();
        _retired.Dispose();
        _http.Dispose();
    }
}
