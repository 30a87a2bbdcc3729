using MicroDemo.ServiceDefaults.Health;
using MicroDemo.ServiceDefaults.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults.Consul;

/// <summary>
/// Keeps this instance registered in Consul for as long as it runs:
/// registers once the server listens, retries with capped backoff while Consul is away,
/// re-registers when a restarted agent forgot the service, and deregisters on graceful shutdown
/// (before the server stops, so nobody is sent to an instance that is going away).
/// </summary>
internal sealed partial class ConsulRegistrationService(
    ConsulClient consul,
    ServiceIdentity identity,
    IOptions<ServiceOptions> serviceOptions,
    IOptions<ConsulOptions> consulOptions,
    IHostApplicationLifetime lifetime,
    ILogger<ConsulRegistrationService> logger) : BackgroundService, IHostedLifecycleService
{
    /// <summary>How often the agent is asked whether it still knows us.</summary>
    internal static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DeregisterTimeout = TimeSpan.FromSeconds(5);

    // Ended by StoppingAsync, which runs before the server and the hosted services stop.
    private readonly CancellationTokenSource _endLoop = new();
    private volatile bool _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _endLoop.Token);
        try
        {
            await WhenStartedAsync(stop.Token);
            await KeepRegisteredAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task KeepRegisteredAsync(CancellationToken cancellationToken)
    {
        var registration = CreateRegistration();
        var consulUnreachable = false;
        var retryDelay = FirstRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!_registered || !await consul.IsServiceRegisteredAsync(registration.ID, cancellationToken))
                {
                    if (_registered)
                    {
                        Log.Forgotten(logger, registration.ID, consulOptions.Value.Url);
                    }

                    _registered = false;
                    await consul.RegisterAsync(registration, cancellationToken);
                    _registered = true;
                    Log.Registered(logger, registration.ID, consulOptions.Value.Url, registration.Check!.HTTP);
                }
                else if (consulUnreachable)
                {
                    Log.StillRegistered(logger, registration.ID, consulOptions.Value.Url);
                }

                consulUnreachable = false;
                retryDelay = FirstRetryDelay;
                await Task.Delay(WatchInterval, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (!consulUnreachable)
                {
                    // One line per state change; the retries themselves stay quiet.
                    Log.Unreachable(logger, consulOptions.Value.Url, registration.ID, e.Message, MaxRetryDelay.TotalSeconds);
                    consulUnreachable = true;
                }

                await Task.Delay(retryDelay, cancellationToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private ConsulServiceRegistration CreateRegistration() => new()
    {
        ID = identity.Id,
        Name = identity.Name,
        Address = identity.Address,
        Port = identity.Port,
        Tags = [$"version-{serviceOptions.Value.Version}"],
        Meta = new Dictionary<string, string>
        {
            ["version"] = serviceOptions.Value.Version,
            ["scheme"] = identity.Scheme,
        },
        Check = new ConsulHttpCheck
        {
            HTTP = identity.UrlFor(HealthEndpoints.ReadyPath).ToString(),
            Interval = "5s",
            Timeout = "2s",
            DeregisterCriticalServiceAfter = "1m",
        },
    };

    private async Task WhenStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // The loop must be over before deregistering, or it could register the instance again.
        await _endLoop.CancelAsync();
        if (ExecuteTask is { } loop)
        {
            await loop.WaitAsync(cancellationToken);
        }

        if (!_registered)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DeregisterTimeout);
        try
        {
            await consul.DeregisterAsync(identity.Id, timeout.Token);
            _registered = false;
            Log.Deregistered(logger, identity.Id);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // Consul drops the instance by itself once its check has been critical for DeregisterCriticalServiceAfter.
            Log.DeregisterFailed(logger, identity.Id, e.Message);
        }
    }

    public override void Dispose()
    {
        _endLoop.Dispose();
        base.Dispose();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Registered {ServiceId} in Consul at {ConsulUrl} (check {CheckUrl})")]
        public static partial void Registered(ILogger logger, string serviceId, Uri consulUrl, string checkUrl);

        [LoggerMessage(2, LogLevel.Warning, "Cannot reach or register with Consul at {ConsulUrl}, so {ServiceId} may not be discoverable ({Reason}); retrying quietly, at least every {MaxDelaySeconds}s")]
        public static partial void Unreachable(ILogger logger, Uri consulUrl, string serviceId, string reason, double maxDelaySeconds);

        [LoggerMessage(3, LogLevel.Warning, "Consul at {ConsulUrl} no longer knows {ServiceId} (agent restarted?); registering again")]
        public static partial void Forgotten(ILogger logger, string serviceId, Uri consulUrl);

        [LoggerMessage(4, LogLevel.Information, "Consul at {ConsulUrl} is reachable again and still knows {ServiceId}")]
        public static partial void StillRegistered(ILogger logger, string serviceId, Uri consulUrl);

        [LoggerMessage(5, LogLevel.Information, "Deregistered {ServiceId} from Consul")]
        public static partial void Deregistered(ILogger logger, string serviceId);

        [LoggerMessage(6, LogLevel.Warning, "Could not deregister {ServiceId} from Consul ({Reason}); Consul removes it after its check stays critical")]
        public static partial void DeregisterFailed(ILogger logger, string serviceId, string reason);
    }
}
