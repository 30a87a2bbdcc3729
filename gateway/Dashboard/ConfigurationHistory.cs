using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MicroDemo.Gateway.Configuration;
using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>The running configuration's version (a short hash of it) and when it was last (re)loaded.</summary>
public sealed class ConfigurationHistory : IDisposable
{
    private readonly GatewayConfigurationStore _store;
    private readonly TimeProvider _time;
    private readonly IDisposable _subscription;
    private volatile ConfigurationVersion _current;
    private int _reloads = -1;

    public ConfigurationHistory(GatewayConfigurationStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        _current = Record();
        _subscription = ChangeToken.OnChange(store.GetReloadToken, () => _current = Record());
    }

    public ConfigurationVersion Current => _current;

    public void Dispose() => _subscription.Dispose();

    private ConfigurationVersion Record()
    {
        var json = JsonSerializer.Serialize(_store.Current.Source, FileConfigurationJson.Options);
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..12];
        return new ConfigurationVersion(version, _time.GetUtcNow(), Interlocked.Increment(ref _reloads), _store.DocumentName);
    }
}

/// <param name="Reloads">How many times it changed since the gateway started.</param>
public sealed record ConfigurationVersion(string Version, DateTimeOffset LoadedAt, int Reloads, string Source);
