using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// Owns one long-lived <see cref="SocketsHttpHandler"/> per distinct <see cref="DownstreamClientSettings"/>.
/// Resolve the invoker once per route when the configuration is (re)loaded and keep it on the route:
/// equal settings return the same invoker, so warm connections survive a reload.
/// </summary>
public sealed class DownstreamClientFactory : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<DownstreamClientSettings, HttpMessageInvoker> _invokers = new();
    private readonly Lock _createLock = new();

    public HttpMessageInvoker GetInvoker(DownstreamClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (_invokers.TryGetValue(settings, out var invoker))
        {
            return invoker;
        }

        // GetOrAdd alone may run the factory twice under a race and leak a handler with its sockets.
        lock (_createLock)
        {
            return _invokers.GetOrAdd(settings, static s => new HttpMessageInvoker(CreateHandler(s), disposeHandler: true));
        }
    }

    /// <summary>
    /// Drops the pools whose settings no route uses any more. They are disposed after <paramref name="drainDelay"/>
    /// so requests still streaming through them can finish.
    /// </summary>
    public void ReleaseUnused(IReadOnlyCollection<DownstreamClientSettings> inUse, TimeSpan drainDelay)
    {
        ArgumentNullException.ThrowIfNull(inUse);
        var keep = inUse as ISet<DownstreamClientSettings> ?? new HashSet<DownstreamClientSettings>(inUse);
        foreach (var (settings, invoker) in _invokers)
        {
            if (!keep.Contains(settings) && _invokers.TryRemove(settings, out _))
            {
                _ = DisposeLaterAsync(invoker, drainDelay);
            }
        }
    }

    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }

        _invokers.Clear();
    }

    internal static SocketsHttpHandler CreateHandler(DownstreamClientSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = settings.UseProxy,
            AllowAutoRedirect = settings.AllowAutoRedirect,
            // Bytes pass through still encoded: Content-Encoding stays true and no CPU is spent inflating.
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = settings.UseCookieContainer,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = ConnectTimeout,
            MaxConnectionsPerServer = settings.MaxConnectionsPerServer <= 0 ? int.MaxValue : settings.MaxConnectionsPerServer,
            PooledConnectionLifetime = settings.PooledConnectionLifetimeSeconds <= 0
                ? Timeout.InfiniteTimeSpan
                : TimeSpan.FromSeconds(settings.PooledConnectionLifetimeSeconds),
            // Without tracing the client's trace headers travel untouched and nothing is injected (cheapest).
            ActivityHeadersPropagator = settings.UseTracing ? new ReplacingContextPropagator(DistributedContextPropagator.Current) : null,
        };

        if (settings.DangerousAcceptAnyServerCertificateValidator)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        return handler;
    }

    private static async Task DisposeLaterAsync(HttpMessageInvoker invoker, TimeSpan delay)
    {
        await Task.Delay(delay).ConfigureAwait(false);
        invoker.Dispose();
    }
}
