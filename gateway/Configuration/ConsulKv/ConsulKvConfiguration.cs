using System.Text.Json;
using MicroDemo.Gateway.Discovery;
using MicroDemo.ServiceDefaults.Consul;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// The configuration stored in a Consul KV key (<c>Gateway:Configuration:Store=Consul</c>). At startup the key
/// is read before the gateway serves: an empty key is seeded from <c>ocelot.json</c> with check-and-set, so of two
/// replicas starting together only one writes; a present key replaces the file's configuration. Afterwards a
/// blocking query on the key hands every new value to <see cref="GatewayConfigurationStore.TryApply"/>, and the
/// admin API writes the key through <see cref="TryWriteAsync"/>.
/// </summary>
/// <remarks>
/// Ocelot polls the key every <c>PollingInterval</c> (1 s by default); a blocking query answers as soon as the key
/// changes and costs one parked request per replica. With <c>Type: PollConsul</c> the key is polled, as in Ocelot.
/// Consul's address and the key are read once, from the file and <c>Gateway:ServiceDiscovery</c>: a document in
/// the key cannot move the key elsewhere. A deleted key is seeded again from the running configuration.
/// </remarks>
internal sealed partial class ConsulKvConfiguration : IHostedService, IConfigurationDocumentTarget, IAsyncDisposable
{
    /// <summary>How long startup waits for Consul's first answer before it serves the file's configuration.</summary>
    private static readonly TimeSpan FirstAnswerTimeout = TimeSpan.FromSeconds(5);

    private readonly GatewayConfigurationStore _store;
    private readonly ServiceDiscoveryOverrides _overrides;
    private readonly DiscoveryTimings _timings;
    private readonly TimeProvider _time;
    private readonly ILogger<ConsulKvConfiguration> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ConsulConnection? _connection;
    private Task _watch = Task.CompletedTask;
    private string _key = "";
    private volatile string? _lastValue; // the blocking query answers with the same value after every wait: apply each value once
    private long _unreachableSinceTicks; // 0 while Consul answers; Interlocked so one thread logs each transition

    public ConsulKvConfiguration(
        GatewayConfigurationStore store, IOptions<ServiceDiscoveryOverrides> overrides, TimeProvider time, ILogger<ConsulKvConfiguration> logger)
        : this(store, overrides.Value, new DiscoveryTimings(), time, logger)
    {
    }

    internal ConsulKvConfiguration(
        GatewayConfigurationStore store, ServiceDiscoveryOverrides overrides, DiscoveryTimings timings, TimeProvider time, ILogger<ConsulKvConfiguration> logger)
    {
        _store = store;
        _overrides = overrides;
        _timings = timings;
        _time = time;
        _logger = logger;
    }

    public string Name => $"Consul KV key '{_key}'";

    /// <summary>Since when Consul has not answered; null while it answers.</summary>
    public DateTimeOffset? UnreachableSince =>
        Interlocked.Read(ref _unreachableSinceTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The agent's address, for the health report.</summary>
    public Uri? ConsulUrl => _connection?.Options.ConsulUrl;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var provider = _store.Current.Global.ServiceDiscovery ?? throw new GatewayConfigurationException([new ConfigurationError(
            _store.DocumentName, "GlobalConfiguration", "ServiceDiscoveryProvider",
            $"is required when {ConfigurationStoreOptions.SectionName}:Store is {ConfigurationStoreOptions.ConsulStore}: it says where Consul is, and its ConfigurationKey names the key")]);
        var options = _overrides.ApplyTo(ServiceDiscoveryOptions.From(provider));
        options.Validate();
        _key = provider.ConfigurationKey;
        var connection = _connection = new ConsulConnection(options);
        _store.MoveTo(this);

        using var firstAnswer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        firstAnswer.CancelAfter(FirstAnswerTimeout);
        try
        {
            Publish((await QueryAsync(connection.Client, 0, firstAnswer.Token)).Value);
        }
        catch (Exception e) when ((e is HttpRequestException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            RecordFailure(e, TimeSpan.Zero); // the watch below retries at once
        }

        _watch = Task.Run(() => ConsulQueryLoop.RunAsync(
            () => connection, _timings, _time, QueryAsync, Publish, (_, e, retryDelay) => RecordFailure(e, retryDelay), _stopping.Token));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watch.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>The admin API's write: the key takes the document, and every replica's watch applies it.</summary>
    public async Task<ConfigurationError?> TryWriteAsync(string json, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new InvalidOperationException("The Consul KV configuration has not started.");
        var previous = _lastValue;
        _lastValue = json; // this replica applies it at once; its own watch must not apply it twice
        try
        {
            await connection.Client.PutKeyAsync(_key, json, checkAndSet: null, cancellationToken);
            return null;
        }
        catch (HttpRequestException e)
        {
            _lastValue = previous;
            return new ConfigurationError(Name, "(admin API)", "(root)", $"cannot be written to Consul at {connection.Options.ConsulUrl}: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _connection?.Dispose();
    }

    /// <summary>One read of the key (blocking when <paramref name="index"/> is set); an empty key is seeded first.</summary>
    private async Task<ConsulQueryResult<string?>> QueryAsync(ConsulClient client, ulong index, CancellationToken cancellationToken)
    {
        var result = await client.GetKeyAsync(_key, index, _timings.BlockingWait, cancellationToken);
        if (result.Value is null)
        {
            // cas=0 writes only while the key does not exist: of replicas starting together exactly one seeds.
            var seed = JsonSerializer.Serialize(_store.Current.Source, FileConfigurationJson.Options);
            if (await client.PutKeyAsync(_key, seed, checkAndSet: 0, cancellationToken))
            {
                _lastValue = seed;
                LogSeeded(_key, _store.Current.Routes.Count);
            }

            // Read back what won, ours or another replica's.
            result = await client.GetKeyAsync(_key, 0, _timings.BlockingWait, cancellationToken);
        }

        return result;
    }

    private void Publish(string? value)
    {
        if (Interlocked.Exchange(ref _unreachableSinceTicks, 0) != 0)
        {
            LogReachable(_key, ConsulUrl);
        }

        if (value is null || value == _lastValue)
        {
            return;
        }

        _lastValue = value;
        _store.TryApply(Name, value);
    }

    private void RecordFailure(Exception error, TimeSpan retryDelay)
    {
        LogReadFailed(_key, retryDelay, error);
        if (Interlocked.CompareExchange(ref _unreachableSinceTicks, _time.GetUtcNow().UtcTicks, 0) == 0)
        {
            LogUnreachable(_key, ConsulUrl, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consul KV key '{Key}' was empty: seeded it with the running configuration ({RouteCount} routes)")]
    private partial void LogSeeded(string key, int routeCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consul KV key '{Key}' cannot be read from {ConsulUrl} ({Reason}); the running configuration keeps serving")]
    private partial void LogUnreachable(string key, Uri? consulUrl, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading Consul KV key '{Key}' failed; retrying in {RetryDelay}")]
    private partial void LogReadFailed(string key, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consul KV key '{Key}' can be read from {ConsulUrl} again")]
    private partial void LogReachable(string key, Uri? consulUrl);
}
