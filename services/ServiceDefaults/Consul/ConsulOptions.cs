namespace MicroDemo.ServiceDefaults.Consul;

/// <summary>Where the Consul agent is. Bound from the <c>Consul</c> configuration section.</summary>
public sealed record ConsulOptions
{
    public const string SectionName = "Consul";

    /// <summary>The agent's HTTP API, e.g. <c>http://127.0.0.1:8500</c> (natively) or <c>http://consul:8500</c> (compose).</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1:8500");

    /// <summary>ACL token sent as <c>X-Consul-Token</c>; empty when ACLs are off (the dev agent).</summary>
    public string? Token { get; init; }
}
