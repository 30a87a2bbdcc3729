using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MicroDemo.Gateway.Configuration;
using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>The running configuration's version (a short hash of it) and when it was last (re)loaded.</summary>
public sealed class ConfigurationHistory(GatewayConfigurationStore store, TimeProvider time) : IHostedService, IDisposable
{
    private IDisposable? _subscription;
    private volatile ConfigurationVersion? _current;
    private int _reloads = -1;

    public ConfigurationVersion Current => _current ??= Record();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _current = Record();
        _subscription = ChangeToken.OnChange(store.GetReloadToken, () => _current = Record());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _subscription?.Dispose();

    private ConfigurationVersion Record()
    {
        var json = JsonSerializer.Serialize(store.Current.Source, FileConfigurationJson.Options);
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..12];
        return new ConfigurationVersion(version, time.GetUtcNow(), Interlocked.Increment(ref _reloads), store.DocumentName);
    }
}

/// <param name="Reloads">How many times it changed since the gateway started.</param>
public sealed record ConfigurationVersion(string Version, DateTimeOffset LoadedAt, int Reloads, string Source);
