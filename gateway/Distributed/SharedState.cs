using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MicroDemo.Gateway.Distributed;

/// <summary>
/// The gateway's one connection to Redis, and the rule every shared store follows: use Redis while it answers, the
/// replica's own in-memory state while it does not. An outage is logged once when it starts and once when it ends,
/// never per request; StackExchange.Redis reconnects by itself, and the first command that succeeds ends the outage.
/// </summary>
public sealed class SharedState(IOptions<RedisOptions> options, TimeProvider time, ILogger<SharedState> logger) : IHostedService, IAsyncDisposable
{
    private ConnectionMultiplexer? _redis;
    private int _unavailable;
    private long _unavailableSinceTicks;

    public string Endpoint { get; } = EndpointOf(options.Value.Configuration!);

    /// <summary>When Redis stopped answering; null while it answers.</summary>
    public DateTimeOffset? UnavailableSince =>
        Volatile.Read(ref _unavailable) == 1 ? new DateTimeOffset(Interlocked.Read(ref _unavailableSinceTicks), TimeSpan.Zero) : null;

    /// <summary>
    /// Runs <paramref name="shared"/> against Redis, or <paramref name="local"/> when Redis is not connected or the
    /// command fails: a request is never failed, nor held, because Redis is away.
    /// </summary>
    public async ValueTask<T> UseAsync<T>(Func<IDatabase, Task<T>> shared, Func<T> local)
    {
        if (_redis is not { IsConnected: true } redis)
        {
            MarkUnavailable("not connected");
            return local();
        }

        try
        {
            var result = await shared(redis.GetDatabase());
            MarkAvailable();
            return result;
        }
        catch (RedisException e)
        {
            RedisLog.CommandFailed(logger, e);
            MarkUnavailable(e.Message);
            return local();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configuration = ConfigurationOptions.Parse(options.Value.Configuration!);
        // Start, and serve, while Redis is down; the multiplexer keeps reconnecting in the background.
        configuration.AbortOnConnectFail = false;
        // A command issued while disconnected fails at once instead of queueing until a reconnect: the request goes
        // on with the replica's own state rather than waiting.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // One connection per replica: retrying it every second costs nothing and brings sharing back quickly.
        configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        // Only the connection that carries commands counts: the pub/sub one (unused here) comes and goes on its own
        // schedule, and following it would report Redis back before a command can run.
        _redis.ConnectionFailed += (_, failed) =>
        {
            if (failed.ConnectionType == ConnectionType.Interactive)
            {
                MarkUnavailable(failed.FailureType.ToString());
            }
        };
        _redis.ConnectionRestored += (_, restored) =>
        {
            if (restored.ConnectionType == ConnectionType.Interactive)
            {
                MarkAvailable();
            }
        };
        if (!_redis.IsConnected)
        {
            MarkUnavailable("no answer at startup");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private void MarkUnavailable(string reason)
    {
        if (Interlocked.CompareExchange(ref _unavailable, 1, 0) == 0)
        {
            Interlocked.Exchange(ref _unavailableSinceTicks, time.GetUtcNow().UtcTicks);
            RedisLog.Unavailable(logger, Endpoint, reason);
        }
    }

    private void MarkAvailable()
    {
        if (Interlocked.CompareExchange(ref _unavailable, 0, 1) == 1)
        {
            RedisLog.Available(logger, Endpoint);
        }
    }

    // For logs and the health check: the endpoints only, never a password the string may hold.
    private static string EndpointOf(string configuration) =>
        string.Join(",", ConfigurationOptions.Parse(configuration).EndPoints.Select(e => e.ToString()));
}
