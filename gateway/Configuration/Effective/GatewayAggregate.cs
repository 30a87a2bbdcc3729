using System.Text.Json.Serialization;

namespace MicroDemo.Gateway.Configuration;

/// <summary>Effective options of one <c>Aggregates[i]</c> entry.</summary>
public sealed record GatewayAggregate
{
    [JsonIgnore]
    public required int Index { get; init; }

    [JsonIgnore]
    public required ConfigurationSite Site { get; init; }

    public required string UpstreamPathTemplate { get; init; }
    public required string? UpstreamHost { get; init; }
    public required IReadOnlyDictionary<string, string> UpstreamHeaderTemplates { get; init; }
    public required bool RouteIsCaseSensitive { get; init; }
    public required int Priority { get; init; }

    /// <summary>Upper-case methods; defaults to GET for aggregates.</summary>
    public required IReadOnlySet<string> UpstreamHttpMethods { get; init; }

    /// <summary>Keys of the aggregated routes, in the order their responses are combined.</summary>
    public required IReadOnlyList<string> RouteKeys { get; init; }

    public required IReadOnlyList<AggregateRouteKeyConfig> RouteKeysConfig { get; init; }

    /// <summary>Name of a code-level aggregator, or null for the default JSON combination.</summary>
    public required string? Aggregator { get; init; }

    /// <inheritdoc cref="GatewayRoute.Fingerprint"/>
    [JsonIgnore]
    public string Fingerprint { get; init; } = "";
}

public sealed record AggregateRouteKeyConfig(string RouteKey, string JsonPath, string Parameter);
