using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MicroDemo.Gateway.LoopDetection;

/// <summary>
/// This gateway as the network sees it: the name it stamps into <c>Via</c>, the Consul service name it registers
/// under, and the addresses it listens on. Dynamic routing uses it never to send a request back to the gateway,
/// and every forwarded request carries its pseudonym, so a loop that still forms (a static route or another proxy
/// pointing back here) is stopped at the second pass.
/// </summary>
public sealed class GatewayInstance(ServiceIdentity identity, IServer server)
{
    private readonly ConcurrentDictionary<string, string> _viaEntries = new(StringComparer.Ordinal);
    private SelfAddresses? _addresses;
    private string? _pseudonym;

    /// <summary>The Consul service name the gateway registers under (<c>Service:Name</c>, <c>gateway</c> by default).</summary>
    public string ServiceName => identity.Name;

    /// <summary>
    /// The instance id (<c>{name}-{address}-{port}</c>, as in Consul and <c>X-Served-By</c>) as an RFC 9110 token:
    /// an IPv6 address's colons are not allowed in a Via pseudonym. Known once the server listens.
    /// </summary>
    public string Pseudonym => _pseudonym ??= ToToken(identity.Id);

    /// <summary>This hop's <c>Via</c> entry for a request received over <paramref name="protocol"/>, built once per protocol.</summary>
    public string ViaEntry(string protocol) =>
        _viaEntries.GetOrAdd(protocol, static (received, self) => ViaHeader.Entry(received, self.Pseudonym), this);

    /// <summary>True when the request already passed through this gateway (its <c>Via</c> names it).</summary>
    public bool HasForwarded(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var via = request.Headers.Via;
        return via.Count > 0 && ViaHeader.Contains(via, Pseudonym);
    }

    /// <summary>True when <paramref name="instance"/> is this gateway: one of its ports on one of its addresses.</summary>
    public bool IsSelf(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var addresses = _addresses ??= SelfAddresses.Read(identity, server);
        return addresses.Ports.Contains(instance.Port) && addresses.IsOwnHost(instance.Address);
    }

    /// <summary><paramref name="instances"/> without this gateway; the same list (no allocation) when it is not among them.</summary>
    public IReadOnlyList<ServiceInstance> Without(IReadOnlyList<ServiceInstance> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        foreach (var instance in instances)
        {
            if (IsSelf(instance))
            {
                return instances.Where(candidate => !IsSelf(candidate)).ToArray();
            }
        }

        return instances;
    }

    private static string ToToken(string id) =>
        string.Create(id.Length, id, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_';
            }
        });

    private sealed record SelfAddresses(HashSet<int> Ports, HashSet<string> Hosts, bool ListensOnEveryInterface, HashSet<IPAddress> InterfaceAddresses)
    {
        public static SelfAddresses Read(ServiceIdentity identity, IServer server)
        {
            var bindings = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(BindingAddress.Parse).ToArray() ?? [];
            var ports = bindings.Select(binding => binding.Port).Append(identity.Port).Where(port => port > 0).ToHashSet();
            var hosts = bindings.Select(binding => binding.Host.Trim('[', ']')).Append(identity.Address).Append("localhost")
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var wildcard = bindings.Any(binding => binding.Host is "*" or "+" or "0.0.0.0" or "[::]");
            // Only a listener on every interface answers on the machine's other addresses.
            var interfaceAddresses = wildcard
                ? NetworkInterface.GetAllNetworkInterfaces().SelectMany(nic => nic.GetIPProperties().UnicastAddresses).Select(unicast => unicast.Address).ToHashSet()
                : [];
            return new SelfAddresses(ports, hosts, wildcard, interfaceAddresses);
        }

        public bool IsOwnHost(string host)
        {
            if (Hosts.Contains(host))
            {
                return true;
            }

            // Any loopback address on one of the gateway's ports is the gateway itself (or nothing at all).
            return IPAddress.TryParse(host.Trim('[', ']'), out var address)
                   && (IPAddress.IsLoopback(address) || (ListensOnEveryInterface && InterfaceAddresses.Contains(address)));
        }
    }
}
