using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults.Hosting;

/// <summary>
/// This instance as others see it: name, dialable address and port, and the stable ID
/// <c>{name}-{address}-{port}</c> used both as the Consul service ID and in <c>X-Served-By</c>.
/// </summary>
public sealed class ServiceIdentity(IOptions<ServiceOptions> options, IServer server)
{
    private readonly Lazy<string> _address = new(() => options.Value.UseHostAddress ? HostAddress() : options.Value.Address);
    private ResolvedInstance? _resolved;

    public string Name => options.Value.Name;

    /// <summary><see cref="ServiceOptions.Address"/>, or this machine's own address with <see cref="ServiceOptions.UseHostAddress"/>.</summary>
    public string Address => _address.Value;

    /// <summary>The configured port, else the one the server listens on (known once it has started; 0 before).</summary>
    public int Port => Resolve().Port;

    /// <summary>http or https: the scheme of the listening address the port came from.</summary>
    public string Scheme => Resolve().Scheme;

    public string Id => $"{Name}-{Address}-{Port}";

    /// <summary>Where Consul (or anyone) can reach <paramref name="path"/> on this instance.</summary>
    public Uri UrlFor(string path) => new($"{Scheme}://{FormatHost(Address)}:{Port}{path}");

    private ResolvedInstance Resolve()
    {
        if (_resolved is { } resolved)
        {
            return resolved;
        }

        // Kestrel rewrites its addresses to the bound ones on start (port 0 becomes the real port).
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(BindingAddress.Parse)
            .OrderBy(binding => binding.Scheme == "http" ? 0 : 1)
            .FirstOrDefault(binding => binding.Port > 0);

        var candidate = new ResolvedInstance(options.Value.Port ?? listening?.Port ?? 0, listening?.Scheme ?? "http");
        if (candidate.Port > 0)
        {
            _resolved = candidate;
        }

        return candidate;
    }

    /// <summary>
    /// The first IPv4 address, other than loopback, that the host name resolves to: in a container, its
    /// address on the compose network (Docker writes it into the container's /etc/hosts).
    /// </summary>
    private static string HostAddress()
    {
        var hostName = Dns.GetHostName();
        return Dns.GetHostAddresses(hostName)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString()
            ?? throw new InvalidOperationException(
                $"{SettingNames.ServiceUseHostAddress} is true, but the host name '{hostName}' resolves to no IPv4 address other than loopback. " +
                $"Set {SettingNames.ServiceAddress} to an address other processes can dial instead.");
    }

    private static string FormatHost(string address) =>
        address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;

    private sealed record ResolvedInstance(int Port, string Scheme);
}
