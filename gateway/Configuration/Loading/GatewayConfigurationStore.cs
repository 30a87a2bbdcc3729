using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Holds the running <see cref="GatewayConfiguration"/>, reloads it when the main file or a merged
/// <c>ocelot.*.json</c> changes, and replaces it for the admin API. An invalid edit is logged in full and
/// the previous configuration keeps serving. Once <see cref="MoveTo"/> hands the document to another
/// <see cref="IConfigurationDocumentTarget"/> (Consul KV), the files only seeded it: their edits are ignored.
/// </summary>
public sealed partial class GatewayConfigurationStore : IDisposable
{
    /// <summary>Editors often save in several writes (truncate, write, rename); wait for them to settle.</summary>
    private static readonly TimeSpan ReloadDebounce = TimeSpan.FromMilliseconds(250);

    private readonly string _mainFile;
    private readonly Func<IReadOnlySet<string>> _authenticationSchemes;
    private readonly ILogger<GatewayConfigurationStore> _logger;
    private readonly SemaphoreSlim _updateLock = new(1, 1);
    private readonly PhysicalFileProvider _fileProvider;
    private IDisposable? _watchRegistration; // null once the document moved to a target
    private IConfigurationDocumentTarget? _target; // null: the main file is where the document lives
    private ConfigurationRejection? _rejection;
    private readonly Timer _debounceTimer;
    private CancellationTokenSource _reloadTokenSource = new();
    private GatewayConfiguration _current;
    private string _lastSeenContent;

    /// <summary>Loads the configuration and starts watching its files.</summary>
    /// <param name="mainFile">Path of the main configuration file (see <see cref="OcelotFileLocator"/>).</param>
    /// <param name="authenticationSchemes">Scheme names the gateway has registered; asked on every load.</param>
    /// <exception cref="GatewayConfigurationException">The configuration is invalid; carries every error.</exception>
    public GatewayConfigurationStore(string mainFile, Func<IReadOnlySet<string>> authenticationSchemes, ILogger<GatewayConfigurationStore> logger)
    {
        _mainFile = Path.GetFullPath(mainFile);
        _authenticationSchemes = authenticationSchemes;
        _logger = logger;

        var (contents, snapshot) = ReadSnapshot();
        var result = contents is null ? ReadFailure() : GatewayConfigurationLoader.Load(contents, _authenticationSchemes());
        LogWarnings(result.Warnings);
        if (!result.Succeeded)
        {
            throw new GatewayConfigurationException(result.Errors);
        }

        _current = result.Configuration!;
        _lastSeenContent = snapshot;
        LogLoaded(MainFileName, _current.Routes.Count, string.Join(", ", _current.Files.Select(Path.GetFileName)));

        _debounceTimer = new Timer(_ => ReloadFromDisk(), null, Timeout.Infinite, Timeout.Infinite);
        _fileProvider = new PhysicalFileProvider(Path.GetDirectoryName(_mainFile)!);
        var filter = string.Equals(MainFileName, OcelotFileLocator.DefaultFileName, StringComparison.OrdinalIgnoreCase)
            ? "ocelot*.json"
            : MainFileName;
        _watchRegistration = ChangeToken.OnChange(
            () => _fileProvider.Watch(filter),
            () => _debounceTimer.Change(ReloadDebounce, Timeout.InfiniteTimeSpan));
    }

    public GatewayConfiguration Current => Volatile.Read(ref _current);

    /// <summary>Full path of the main configuration file (the one the admin API writes).</summary>
    public string MainFile => _mainFile;

    private string MainFileName => Path.GetFileName(_mainFile);

    /// <summary>Where the running document lives: the main file, or the target it was moved to.</summary>
    public string DocumentName => _target?.Name ?? MainFileName;

    /// <summary>The last change that was refused, until a valid one is applied; the configuration health check reports it.</summary>
    public ConfigurationRejection? Rejection => Volatile.Read(ref _rejection);

    /// <summary>A token that fires once when <see cref="Current"/> is replaced; ask for a new one afterwards.</summary>
    public IChangeToken GetReloadToken() => new CancellationChangeToken(Volatile.Read(ref _reloadTokenSource).Token);

    /// <summary>
    /// Admin API: validates <paramref name="json"/> as the complete configuration; when valid, writes it to the
    /// main file (atomically, via a temporary file) and applies it. When invalid, nothing is written.
    /// </summary>
    public async Task<ConfigurationUpdateResult> TryReplaceAsync(string json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        await _updateLock.WaitAsync(cancellationToken);
        try
        {
            if (_target is { } target)
            {
                var accepted = Validate(target.Name, json);
                if (accepted.Succeeded)
                {
                    if (await target.TryWriteAsync(json, cancellationToken) is { } notWritten)
                    {
                        return ConfigurationUpdateResult.Failed(notWritten);
                    }

                    LogWarnings(accepted.Warnings);
                    Apply(accepted.Configuration!, target.Name);
                }

                return accepted;
            }

            var siblings = GatewayConfigurationLoader.FindFiles(_mainFile).Skip(1).Select(Path.GetFileName).ToList();
            if (siblings.Count > 0)
            {
                // The posted document would be merged with these files again on the next load, doubling their routes.
                return ConfigurationUpdateResult.Failed(new ConfigurationError(MainFileName, "(file)", "(root)",
                    $"cannot be replaced through the admin API while it is merged with {string.Join(", ", siblings)}; edit the files instead"));
            }

            var result = GatewayConfigurationLoader.Load([(_mainFile, json)], _authenticationSchemes());
            if (!result.Succeeded)
            {
                return result;
            }

            var temporary = _mainFile + ".tmp-" + Guid.NewGuid().ToString("N");
            await File.WriteAllTextAsync(temporary, json, cancellationToken);
            File.Move(temporary, _mainFile, overwrite: true);

            _lastSeenContent = Signature([(_mainFile, json)]);
            LogWarnings(result.Warnings);
            Apply(result.Configuration!, MainFileName);
            return result;
        }
        finally
        {
            _updateLock.Release();
        }
    }

    /// <summary>
    /// From now on the document lives in <paramref name="target"/>: edits of the files are ignored and the admin API
    /// writes to the target. Changes arriving from the target come in through <see cref="TryApply"/>.
    /// </summary>
    public void MoveTo(IConfigurationDocumentTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _updateLock.Wait();
        try
        {
            _target = target;
            _watchRegistration?.Dispose();
            _watchRegistration = null;
            LogMoved(MainFileName, target.Name);
        }
        finally
        {
            _updateLock.Release();
        }
    }

    /// <summary>
    /// Validates a complete document read from <paramref name="origin"/> (e.g. a Consul KV key) and applies it when
    /// valid. When invalid, it is logged with every error, remembered in <see cref="Rejection"/>, and the previous
    /// configuration keeps serving.
    /// </summary>
    public ConfigurationUpdateResult TryApply(string origin, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        _updateLock.Wait();
        try
        {
            var result = Validate(origin, json);
            LogWarnings(result.Warnings);
            if (result.Succeeded)
            {
                Apply(result.Configuration!, origin);
            }
            else
            {
                Reject(origin, result.Errors);
            }

            return result;
        }
        finally
        {
            _updateLock.Release();
        }
    }

    public void Dispose()
    {
        _watchRegistration?.Dispose();
        _debounceTimer.Dispose();
        _fileProvider.Dispose();
        _updateLock.Dispose();
        _reloadTokenSource.Dispose();
    }

    private void ReloadFromDisk()
    {
        try
        {
            _updateLock.Wait();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            var (contents, snapshot) = ReadSnapshot();
            if (_target is not null || snapshot == _lastSeenContent)
            {
                return;
            }

            _lastSeenContent = snapshot;
            var result = contents is null ? ReadFailure() : GatewayConfigurationLoader.Load(contents, _authenticationSchemes());
            LogWarnings(result.Warnings);
            if (result.Succeeded)
            {
                Apply(result.Configuration!, MainFileName);
            }
            else
            {
                Reject(MainFileName, result.Errors);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A timer callback must never throw: that would end the process. The next file event retries.
            LogReloadFailed(exception, MainFileName);
        }
        finally
        {
            _updateLock.Release();
        }
    }

    private ConfigurationUpdateResult Validate(string origin, string json) =>
        GatewayConfigurationLoader.Load([(origin, json)], _authenticationSchemes());

    private void Reject(string origin, IReadOnlyList<ConfigurationError> errors)
    {
        Volatile.Write(ref _rejection, new ConfigurationRejection(origin, errors));
        LogRejected(origin, errors.Count, GatewayConfigurationException.Describe(errors));
    }

    private void Apply(GatewayConfiguration configuration, string origin)
    {
        Volatile.Write(ref _current, configuration);
        Volatile.Write(ref _rejection, null);
        LogReloaded(origin, configuration.Routes.Count);
        var previous = Interlocked.Exchange(ref _reloadTokenSource, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
    }

    /// <summary>Reads every file once; the snapshot text lets repeated file events for one save be ignored.</summary>
    private (IReadOnlyList<(string Path, string Json)>? Contents, string Snapshot) ReadSnapshot()
    {
        var contents = new List<(string Path, string Json)>();
        try
        {
            foreach (var path in GatewayConfigurationLoader.FindFiles(_mainFile))
            {
                contents.Add((path, File.ReadAllText(path)));
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, "unreadable:" + exception.Message);
        }

        return (contents, Signature(contents));
    }

    private ConfigurationUpdateResult ReadFailure() =>
        GatewayConfigurationLoader.Load(_mainFile, _authenticationSchemes());

    private static string Signature(IReadOnlyList<(string Path, string Json)> contents) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\0", contents.Select(c => c.Path + "\0" + c.Json)))));

    private void LogWarnings(IReadOnlyList<string> warnings)
    {
        foreach (var warning in warnings)
        {
            LogConfigurationWarning(warning);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration loaded from {File}: {RouteCount} routes (files: {Files})")]
    private partial void LogLoaded(string file, int routeCount, string files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded from {File}: {RouteCount} routes")]
    private partial void LogReloaded(string file, int routeCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration change in {File} rejected ({ErrorCount} errors); the previous configuration keeps serving. {Errors}")]
    private partial void LogRejected(string file, int errorCount, string errors);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading the configuration from {File} failed; the previous configuration keeps serving")]
    private partial void LogReloadFailed(Exception exception, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "The configuration now lives in {Target}; {File} only seeded it, and its edits are ignored")]
    private partial void LogMoved(string file, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private partial void LogConfigurationWarning(string warning);
}
