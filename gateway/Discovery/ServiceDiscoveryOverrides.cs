namespace MicroDemo.Gateway.Discovery;

/// <summary>
/// Where this gateway reaches Consul when that differs from <c>ocelot.json</c>'s
/// <c>GlobalConfiguration.ServiceDiscoveryProvider</c>: the same file serves every deployment, and only the
/// deployment says where its Consul is (docker-compose.yml sets <c>Gateway__ServiceDiscovery__Host=consul</c>).
/// Bound from the <c>Gateway:ServiceDiscovery</c> section; each value left out keeps the file's.
/// </summary>
public sealed record ServiceDiscoveryOverrides
{
    public const string SectionName = "Gateway:ServiceDiscovery";

    public string? Scheme { get; init; }

    public string? Host { get; init; }

    public int? Port { get; init; }

    public ServiceDiscoveryOptions ApplyTo(ServiceDiscoveryOptions options) => options with
    {
        Scheme = string.IsNullOrWhiteSpace(Scheme) ? options.Scheme : Scheme,
        Host = string.IsNullOrWhiteSpace(Host) ? options.Host : Host,
        Port = Port ?? options.Port,
    };
}
