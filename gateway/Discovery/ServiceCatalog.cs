using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// The names of every service registered in Consul, passing or not, kept current by one blocking query. Dynamic
/// routing asks it before it watches a name: a name nobody registered is answered 404 at once, and a client
/// sending made-up names cannot make the gateway open one Consul watch (one connection) per name.
/// </summary>
internal sealed class ServiceCatalog : IAsyncDisposable
{
    private const string LogName = "(catalog)";

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private volatile HashSet<string>? _names;

    public ServiceCatalog(ConsulServiceDiscovery owner, DiscoveryTimings timings, TimeProvider time, ILogger logger)
    {
        _loop = Task.Run(() => ConsulQueryLoop.RunAsync(
            () => owner.Connection, timings, time,
            (client, index, token) => client.GetServiceNamesAsync(index, timings.BlockingWait, token),
            names =>
            {
                _names = names.ToHashSet(StringComparer.OrdinalIgnoreCase);
                _firstAttempt.TrySetResult();
            },
            (_, error, retryDelay) =>
            {
                DiscoveryLog.QueryFailed(logger, LogName, retryDelay, error);
                _firstAttempt.TrySetResult();
            },
            _stopping.Token));
    }

    /// <summary>Completes after the first query, successful or not.</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    /// <summary>Null until Consul first answered (then nobody can tell); while Consul is away, its last answer.</summary>
    public bool? Contains(string serviceName) => _names?.Contains(serviceName);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _firstAttempt.TrySetResult();
        _stopping.Dispose();
    }
}
