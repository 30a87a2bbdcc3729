using System.Text.Json.Serialization;

namespace MicroDemo.ServiceDefaults.Consul;

/// <summary>The body of <c>PUT /v1/agent/service/register</c>; Consul expects these exact PascalCase names.</summary>
public sealed record ConsulServiceRegistration
{
    public required string ID { get; init; }
    public required string Name { get; init; }
    public required string Address { get; init; }
    public required int Port { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyDictionary<string, string> Meta { get; init; } = new Dictionary<string, string>();
    public ConsulHttpCheck? Check { get; init; }
}

/// <summary>An HTTP health check Consul runs against the instance.</summary>
public sealed record ConsulHttpCheck
{
    public required string HTTP { get; init; }
    public string Interval { get; init; } = "5s";
    public string Timeout { get; init; } = "2s";
    public string DeregisterCriticalServiceAfter { get; init; } = "1m";
}

/// <summary>One healthy instance as the gateway and the services need it.</summary>
/// <param name="Address">The address to dial: the registered service address, falling back to the node's address.</param>
public sealed record ServiceInstance(
    string Id,
    string Name,
    string Address,
    int Port,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Meta);

/// <summary>An instance as Consul lists it, passing or not.</summary>
/// <param name="Status">Consul's worst check status: passing, warning or critical.</param>
public sealed record ServiceInstanceHealth(ServiceInstance Instance, string Status);

/// <summary>An answer to a (possibly blocking) Consul query, with the index to block on next time.</summary>
public sealed record ConsulQueryResult<T>(T Value, ulong Index);

// Wire shapes of /v1/health/service/{name}; only the fields we read.
internal sealed record HealthServiceEntry(HealthNode? Node, HealthService? Service, List<HealthCheck>? Checks);

internal sealed record HealthCheck(string? Status);

internal sealed record HealthNode([property: JsonPropertyName("Node")] string? Name, string? Address);

internal sealed record HealthService(
    string? ID,
    [property: JsonPropertyName("Service")] string? Name,
    string? Address,
    int Port,
    List<string>? Tags,
    Dictionary<string, string>? Meta);
