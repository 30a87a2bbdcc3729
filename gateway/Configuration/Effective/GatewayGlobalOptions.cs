namespace MicroDemo.Gateway.Configuration;

/// <summary>Effective values of <c>GlobalConfiguration</c> that are not folded into individual routes.</summary>
public sealed record GatewayGlobalOptions
{
    /// <summary>Value of the <c>{BaseUrl}</c> placeholder; default <c>http://localhost:5000</c>.</summary>
    public required string BaseUrl { get; init; }

    public required string? RequestIdKey { get; init; }

    /// <summary>Null when no <c>ServiceDiscoveryProvider</c> section is configured.</summary>
    public required ServiceDiscoverySettings? ServiceDiscovery { get; init; }

    public required SecuritySettings Security { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required MetadataSettings MetadataOptions { get; init; }

    /// <summary>MicroDemo extension: try dynamic routing when no static route matched (default false).</summary>
    public required bool DynamicRoutingFallback { get; init; }

    /// <summary>MicroDemo extension: send X-Forwarded-For (appended), -Proto and -Host (default true).</summary>
    public required bool AddForwardedHeaders { get; init; }
}

public sealed record ServiceDiscoverySettings
{
    public required string Scheme { get; init; }
    public required string Host { get; init; }

    /// <summary>As configured; 0 means the Consul default 8500 (and keeps dynamic routing off, as in Ocelot).</summary>
    public required int Port { get; init; }

    /// <summary><c>Consul</c> or <c>PollConsul</c> (canonical casing).</summary>
    public required string Type { get; init; }

    public required string? Token { get; init; }
    public required string ConfigurationKey { get; init; }
    public required TimeSpan PollingInterval { get; init; }
    public required string Namespace { get; init; }

    /// <summary>Address of the Consul agent, using 8500 when no port is configured.</summary>
    public Uri ConsulAddress => new UriBuilder(Scheme, Host, Port > 0 ? Port : 8500).Uri;

    public override string ToString() => $"{Type} at {ConsulAddress}";
}

public sealed record MetadataSettings(
    string CurrentCulture,
    string NumberStyle,
    IReadOnlyList<string> Separators,
    string StringSplitOption,
    IReadOnlyList<string> TrimChars);
