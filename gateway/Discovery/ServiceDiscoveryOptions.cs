using MicroDemo.Gateway.Configuration;

namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// <c>GlobalConfiguration.ServiceDiscoveryProvider</c> of <c>ocelot.json</c>, as far as Consul needs it.
/// <c>ConfigurationKey</c> is read by the configuration stored in Consul KV (Configuration/Sources), and
/// <c>Namespace</c> (Kubernetes) not at all: Consul has no namespaces in the open-source agent, so dynamic routing ignores a
/// <c>ns.</c> prefix's namespace part.
/// </summary>
public sealed record ServiceDiscoveryOptions
{
    public const string ConsulType = "Consul";
    public const string PollConsulType = "PollConsul";

    /// <summary>Consul's own default HTTP port, used when <see cref="Port"/> is 0 (as Ocelot's Consul client does).</summary>
    public const int DefaultConsulPort = 8500;

    /// <summary>Used by <see cref="PollConsulType"/> when <see cref="PollingInterval"/> is 0 (the default).</summary>
    public static readonly TimeSpan DefaultPollingInterval = TimeSpan.FromSeconds(1);

    /// <summary>Faster polling than this would only load Consul; smaller values are raised to it.</summary>
    public static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    public string Scheme { get; init; } = "http";

    public string Host { get; init; } = "localhost";

    /// <summary>0 means <see cref="DefaultConsulPort"/>.</summary>
    public int Port { get; init; }

    /// <summary><c>Consul</c> (blocking queries) or <c>PollConsul</c> (periodic polling), case-insensitive.</summary>
    public string Type { get; init; } = ConsulType;

    /// <summary>Sent as <c>X-Consul-Token</c>. Never printed by <see cref="ToString"/>.</summary>
    public string? Token { get; init; }

    /// <summary>Milliseconds between two polls when <see cref="Type"/> is <c>PollConsul</c>; ignored for <c>Consul</c>.</summary>
    public int PollingInterval { get; init; }

    /// <summary>The options <c>ocelot.json</c>'s effective <c>ServiceDiscoveryProvider</c> asks for.</summary>
    public static ServiceDiscoveryOptions From(ServiceDiscoverySettings provider) => new()
    {
        Scheme = provider.Scheme,
        Host = provider.Host,
        Port = provider.Port,
        Type = provider.Type,
        Token = provider.Token,
        PollingInterval = (int)provider.PollingInterval.TotalMilliseconds,
    };

    public bool IsPolling => string.Equals(Type, PollConsulType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The agent's HTTP API root, e.g. <c>http://localhost:8500/</c>.</summary>
    public Uri ConsulUrl => new UriBuilder(Scheme, Host, Port > 0 ? Port : DefaultConsulPort).Uri;

    public TimeSpan EffectivePollingInterval => PollingInterval <= 0
        ? DefaultPollingInterval
        : TimeSpan.FromMilliseconds(Math.Max(PollingInterval, MinimumPollingInterval.TotalMilliseconds));

    /// <summary>Throws <see cref="ArgumentException"/> naming the key and the reason when the options cannot work.</summary>
    public void Validate()
    {
        if (!string.Equals(Type, ConsulType, StringComparison.OrdinalIgnoreCase) && !IsPolling)
        {
            throw new ArgumentException(
                $"ServiceDiscoveryProvider.Type '{Type}' is not supported: use '{ConsulType}' or '{PollConsulType}'.", nameof(Type));
        }

        if (!string.Equals(Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"ServiceDiscoveryProvider.Scheme '{Scheme}' must be 'http' or 'https'.", nameof(Scheme));
        }

        if (string.IsNullOrWhiteSpace(Host) || Uri.CheckHostName(Host) == UriHostNameType.Unknown)
        {
            throw new ArgumentException($"ServiceDiscoveryProvider.Host '{Host}' is not a host name or IP address.", nameof(Host));
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"ServiceDiscoveryProvider.Port {Port} must be between 0 (meaning {DefaultConsulPort}) and 65535.", nameof(Port));
        }

        if (PollingInterval < 0)
        {
            throw new ArgumentException($"ServiceDiscoveryProvider.PollingInterval {PollingInterval} must not be negative.", nameof(PollingInterval));
        }
    }

    // A record prints every property; the token must never reach a log.
    public override string ToString() =>
        $"{Type} at {ConsulUrl}{(IsPolling ? $" every {EffectivePollingInterval.TotalMilliseconds:0} ms" : "")}{(string.IsNullOrEmpty(Token) ? "" : " with a token")}";
}
