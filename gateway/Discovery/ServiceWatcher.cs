using MicroDemo.ServiceDefaults.Consul;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// Keeps one service's healthy instances current: a loop of Consul blocking queries (or, for
/// <c>PollConsul</c>, one plain query per polling interval). Readers only ever read the last published
/// snapshot, so a request never waits for Consul once the first answer is in.
/// </summary>
internal sealed class ServiceWatcher : IAsyncDisposable
{
    private readonly ConsulServiceDiscovery _owner;
    private readonly DiscoveryTimings _timings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Snapshot _snapshot = new([], null, 0, null);
    private long _lastUsedTimestamp;
    private volatile bool _isConfigured;
    private Task _loop = Task.CompletedTask;

    public ServiceWatcher(string serviceName, ConsulServiceDiscovery owner, DiscoveryTimings timings, TimeProvider time, ILogger logger)
    {
        ServiceName = serviceName;
        _owner = owner;
        _timings = timings;
        _time = time;
        _logger = logger;
        MarkUsed();
    }

    public string ServiceName { get; }

    /// <summary>True while the current configuration names this service: it is then never stopped for being idle.</summary>
    public bool IsConfigured
    {
        get => _isConfigured;
        set
        {
            if (_isConfigured && !value)
            {
                // Dropped from the configuration: the idle clock starts now, not at the last request.
                MarkUsed();
            }

            _isConfigured = value;
        }
    }

    public IReadOnlyList<ServiceInstance> Instances => _snapshot.Instances;

    /// <summary>Completes after the first query, successful or not, so a first request never waits for a Consul that is down.</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    public ServiceDiscoveryStatus Status
    {
        get
        {
            var snapshot = _snapshot;
            return new(ServiceName, snapshot.Instances.Count, snapshot.LastRefresh, snapshot.ConsecutiveFailures, snapshot.LastError);
        }
    }

    public void Start()
    {
        DiscoveryLog.WatchStarted(_logger, ServiceName);
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    public void MarkUsed() => Volatile.Write(ref _lastUsedTimestamp, _time.GetTimestamp());

    public bool IsIdle => !IsConfigured && _time.GetElapsedTime(Volatile.Read(ref _lastUsedTimestamp)) >= _timings.IdleTimeout;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _firstAttempt.TrySetResult();
        _stopping.Dispose();
    }

    private Task RunAsync(CancellationToken stopping) => ConsulQueryLoop.RunAsync(
        () => _owner.Connection, _timings, _time,
        (client, index, token) => client.GetHealthyInstancesAsync(ServiceName, index, _timings.BlockingWait, token),
        Publish, RecordFailure, stopping);

    private void Publish(IReadOnlyList<ServiceInstance> instances)
    {
        var previous = _snapshot;
        _snapshot = new Snapshot(instances, _time.GetUtcNow(), 0, null);
        _owner.ReportReachable();
        if (previous.Instances.Count != instances.Count || previous.LastRefresh is null)
        {
            DiscoveryLog.InstancesChanged(_logger, ServiceName, instances.Count);
        }

        _firstAttempt.TrySetResult();
    }

    private void RecordFailure(ConsulConnection connection, Exception exception, TimeSpan retryDelay)
    {
        var previous = _snapshot;
        var reason = exception.Message;
        _snapshot = previous with { ConsecutiveFailures = previous.ConsecutiveFailures + 1, LastError = reason };
        DiscoveryLog.QueryFailed(_logger, ServiceName, retryDelay, exception);

        if (IsUnreachable(exception))
        {
            _owner.ReportUnreachable(connection, reason);
        }
        else
        {
            // Consul answered, but not with instances (an ACL refusal, a server error): this service alone is stale.
            _owner.ReportReachable();
            if (previous.ConsecutiveFailures == 0)
            {
                DiscoveryLog.ServiceQueryFailing(_logger, ServiceName, reason);
            }
        }

        _firstAttempt.TrySetResult();
    }

    // No status code: refused, reset, DNS failure; a TaskCanceledException here is HttpClient's own timeout.
    private static bool IsUnreachable(Exception exception) =>
        exception is HttpRequestException { StatusCode: null } or TaskCanceledException or IOException;

    private sealed record Snapshot(
        IReadOnlyList<ServiceInstance> Instances,
        DateTimeOffset? LastRefresh,
        int ConsecutiveFailures,
        string? LastError);
}
