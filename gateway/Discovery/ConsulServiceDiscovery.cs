using System.Collections.Concurrent;
using MicroDemo.ServiceDefaults.Consul;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// Service discovery through Consul: one background <see cref="ServiceWatcher"/> per service name, started
/// eagerly for configured names and lazily for names first seen in a request (dynamic routing), stopped
/// when a name has been neither configured nor requested for <see cref="DiscoveryTimings.IdleTimeout"/>.
/// While Consul is unreachable every watcher keeps its last known instances.
/// </summary>
/// <remarks>
/// Ocelot's <c>Consul</c> provider queries Consul on every request and <c>PollConsul</c> on a request after
/// the interval passed; both make requests wait for Consul and fail when it is down. Here requests read
/// what the watchers last saw. Each watcher holds one HTTP connection to the agent (Consul allows 200 per
/// client address by default, <c>limits.http_max_conns_per_client</c>).
/// </remarks>
public sealed class ConsulServiceDiscovery : IServiceDiscovery, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceWatcher> _watchers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _configureGate = new();
    private readonly DiscoveryTimings _timings;
    private readonly TimeProvider _time;
    private readonly ILogger<ConsulServiceDiscovery> _logger;
    private readonly ITimer _idleSweep;
    private volatile ConsulConnection? _connection;
    private ServiceCatalog? _catalog; // started by the first IsRegistered call: only dynamic routing asks
    private long _unreachableSinceTicks; // 0 while Consul answers; written with Interlocked so one thread logs each transition
    private bool _disposed;

    public ConsulServiceDiscovery(TimeProvider time, ILogger<ConsulServiceDiscovery> logger)
        : this(new DiscoveryTimings(), time, logger)
    {
    }

    internal ConsulServiceDiscovery(DiscoveryTimings timings, TimeProvider time, ILogger<ConsulServiceDiscovery> logger)
    {
        _timings = timings;
        _time = time;
        _logger = logger;
        var sweepPeriod = timings.IdleTimeout / 2;
        _idleSweep = time.CreateTimer(_ => StopIdleWatchers(), null, sweepPeriod, sweepPeriod);
    }

    internal ConsulConnection Connection => _connection ?? throw new InvalidOperationException("Service discovery is not configured.");

    public void Configure(ServiceDiscoveryOptions options, IEnumerable<string> serviceNames)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var configured = serviceNames.Where(n => !string.IsNullOrWhiteSpace(n)).ToHashSet(StringComparer.OrdinalIgnoreCase);

        lock (_configureGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection?.Options != options)
            {
                var retired = _connection;
                _connection = new ConsulConnection(options);
                Interlocked.Exchange(ref _unreachableSinceTicks, 0);
                retired?.Dispose();
                DiscoveryLog.Configured(_logger, options);
            }

            foreach (var watcher in _watchers.Values)
            {
                watcher.IsConfigured = configured.Contains(watcher.ServiceName);
            }

            foreach (var name in configured)
            {
                Watch(name).IsConfigured = true;
            }
        }
    }

    public IReadOnlyList<ServiceInstance> GetInstances(string serviceName) =>
        _connection is null || string.IsNullOrWhiteSpace(serviceName) ? [] : Watch(serviceName).Instances;

    public ValueTask<IReadOnlyList<ServiceInstance>> GetInstancesAsync(string serviceName, CancellationToken cancellationToken)
    {
        if (_connection is null || string.IsNullOrWhiteSpace(serviceName))
        {
            return ValueTask.FromResult<IReadOnlyList<ServiceInstance>>([]);
        }

        var watcher = Watch(serviceName);
        return watcher.FirstAttempt.IsCompleted
            ? ValueTask.FromResult(watcher.Instances)
            : WaitForFirstAnswerAsync(watcher, cancellationToken);
    }

    public ValueTask<bool?> IsRegisteredAsync(string serviceName, CancellationToken cancellationToken)
    {
        if (_connection is null || string.IsNullOrWhiteSpace(serviceName))
        {
            return ValueTask.FromResult<bool?>(null);
        }

        var catalog = Volatile.Read(ref _catalog);
        if (catalog is null)
        {
            lock (_configureGate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                catalog = _catalog ??= new ServiceCatalog(this, _timings, _time, _logger);
            }
        }

        return catalog.FirstAttempt.IsCompleted
            ? ValueTask.FromResult(catalog.Contains(serviceName))
            : WaitForCatalogAsync(catalog, serviceName, cancellationToken);
    }

    public DiscoveryStatus GetStatus()
    {
        var since = Interlocked.Read(ref _unreachableSinceTicks);
        return new DiscoveryStatus(
            _connection?.Options.ConsulUrl,
            since == 0 ? null : new DateTimeOffset(since, TimeSpan.Zero),
            _watchers.Values.Select(w => w.Status).OrderBy(s => s.ServiceName, StringComparer.OrdinalIgnoreCase).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        lock (_configureGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _idleSweep.DisposeAsync();
        if (_catalog is { } catalog)
        {
            await catalog.DisposeAsync();
        }

        await Task.WhenAll(_watchers.Values.Select(w => w.DisposeAsync().AsTask()));
        _watchers.Clear();
        _connection?.Dispose();
        _connection = null;
    }

    internal void ReportReachable()
    {
        if (Interlocked.Exchange(ref _unreachableSinceTicks, 0) != 0 && _connection is { } connection)
        {
            DiscoveryLog.ConsulReachable(_logger, connection.Options.ConsulUrl);
        }
    }

    internal void ReportUnreachable(ConsulConnection connection, string reason)
    {
        if (Interlocked.CompareExchange(ref _unreachableSinceTicks, _time.GetUtcNow().UtcTicks, 0) == 0)
        {
            DiscoveryLog.ConsulUnreachable(_logger, connection.Options.ConsulUrl, reason);
        }
    }

    /// <summary>Stops watchers nobody configured or asked for lately; the next request for the name starts a new one.</summary>
    internal void StopIdleWatchers()
    {
        foreach (var (name, watcher) in _watchers)
        {
            if (watcher.IsIdle && _watchers.TryRemove(new KeyValuePair<string, ServiceWatcher>(name, watcher)))
            {
                DiscoveryLog.WatchStopped(_logger, name);
                _ = watcher.DisposeAsync().AsTask();
            }
        }
    }

    private ServiceWatcher Watch(string serviceName)
    {
        if (_watchers.TryGetValue(serviceName, out var known))
        {
            known.MarkUsed();
            return known;
        }

        var created = new ServiceWatcher(serviceName, this, _timings, _time, _logger);
        var watcher = _watchers.GetOrAdd(serviceName, created);
        if (ReferenceEquals(watcher, created))
        {
            created.Start();
        }

        return watcher;
    }

    private async ValueTask<bool?> WaitForCatalogAsync(ServiceCatalog catalog, string serviceName, CancellationToken cancellationToken)
    {
        await catalog.FirstAttempt.WaitAsync(_timings.FirstAnswerTimeout, _time, cancellationToken)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return catalog.Contains(serviceName);
    }

    private async ValueTask<IReadOnlyList<ServiceInstance>> WaitForFirstAnswerAsync(ServiceWatcher watcher, CancellationToken cancellationToken)
    {
        // Bounded: a request to a name Consul is slow to answer about gets "no instance", not a hung connection.
        await watcher.FirstAttempt.WaitAsync(_timings.FirstAnswerTimeout, _time, cancellationToken)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return watcher.Instances;
    }
}
