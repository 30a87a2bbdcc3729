using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Discovery;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Headers;
using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Gateway.Resilience;
using MicroDemo.Gateway.Routing;
using MicroDemo.Gateway.Security;
using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>
/// Everything one route needs at request time, built once per configuration load: templates compiled,
/// options mapped, balancer, HTTP client and QoS pipeline resolved. The request path only reads it.
/// </summary>
public sealed class CompiledRoute
{
    /// <summary>The effective options from ocelot.json.</summary>
    public required GatewayRoute Options { get; init; }

    /// <summary>How errors and logs name the route: its UpstreamPathTemplate.</summary>
    public string Name => Options.UpstreamPathTemplate;

    public required DownstreamPathTemplate DownstreamPath { get; init; }

    /// <summary>Fixed instances from DownstreamHostAndPorts; empty when the route uses service discovery.</summary>
    public required IReadOnlyList<ServiceInstance> StaticInstances { get; init; }

    public required ILoadBalancer Balancer { get; init; }

    /// <summary>Passive health of the instances the balancer picks from; null when switched off.</summary>
    public required InstanceHealth? Health { get; init; }

    public required HttpMessageInvoker Invoker { get; init; }

    public required DownstreamRequestOptions ForwardOptions { get; init; }

    public required HeaderTransforms RequestHeaderTransforms { get; init; }

    public required HeaderTransforms ResponseHeaderTransforms { get; init; }

    public required RouteAuthOptions Auth { get; init; }

    public required IpSecurityOptions IpSecurity { get; init; }

    /// <summary>Null when the route has no QoSOptions.</summary>
    public required RouteResilience? Resilience { get; init; }

    /// <summary>True for ws/wss routes: they skip the HTTP-only policies, as in Ocelot.</summary>
    public bool IsWebSocket => Options.DownstreamScheme is "ws" or "wss";

    /// <summary>The scheme to dial: ws→http and wss→https (the upgrade happens over HTTP).</summary>
    public required string? DialScheme { get; init; }

    /// <summary>The instances to balance over: healthy ones from discovery, or the fixed DownstreamHostAndPorts.</summary>
    public ValueTask<IReadOnlyList<ServiceInstance>> InstancesAsync(IServiceDiscovery discovery, CancellationToken cancellationToken) =>
        Options.ServiceName is { } serviceName
            ? discovery.GetInstancesAsync(serviceName, cancellationToken)
            : ValueTask.FromResult(StaticInstances);

    /// <summary>The downstream URI on <paramref name="instance"/>; without a DownstreamScheme the upstream's scheme is kept (Ocelot).</summary>
    public Uri Destination(ServiceInstance instance, string upstreamScheme, string pathAndQuery) =>
        DownstreamUri.Create(DialScheme ?? upstreamScheme, instance.Address, instance.Port, pathAndQuery);
}
