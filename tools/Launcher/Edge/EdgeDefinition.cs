using System.Net.Sockets;
using MicroDemo.Launcher.Certificates;
using MicroDemo.Launcher.Stack;

namespace MicroDemo.Launcher.Edge;

/// <summary>
/// The nginx edge in front of the gateway replicas: on the public ports (http and https, TLS ends here), balancing
/// over the replicas on loopback. Everything it writes (config, pid, temp files) is under the run folder's
/// <c>edge/</c>; its errors go to <c>logs/edge.log</c> like any process's output.
/// </summary>
internal sealed record EdgeDefinition(PortSetting Port, PortSetting HttpsPort, IReadOnlyList<PortSetting> Replicas, string Directory, GatewayCertificate Certificate)
{
    public const string Name = "edge";

    /// <summary>Provides nginx (scripts/), and what needs it, for <see cref="Processes.ToolInstall"/>.</summary>
    public const string InstallScript = "install-nginx.sh";

    public const string Needs = "The edge in front of the gateway replicas needs nginx";

    /// <summary>Where the edge listens and what it dials from: the one address the replicas trust.</summary>
    public const string Address = "127.0.0.1";

    public string ConfigurationPath => Path.Combine(Directory, "nginx.conf");

    public IReadOnlyList<string> Urls => [$"http://{Address}:{Port.Port}", $"https://localhost:{HttpsPort.Port}"];

    /// <summary>The edge of <paramref name="stack"/>, or null when it has none or starts no gateway (MICRODEMO_ONLY).</summary>
    public static EdgeDefinition? For(StackSettings stack, IReadOnlyList<AppDefinition> apps, GatewayCertificate certificate)
    {
        var replicas = stack.Ports.GatewayReplicas.Where(port => apps.Any(app => app.Port == port)).ToArray();
        return replicas.Length == 0
            ? null
            : new EdgeDefinition(stack.Ports.Gateway, stack.Ports.GatewayHttps, replicas, Path.Combine(stack.RunDirectory, "edge"), certificate);
    }

    /// <summary>nginx's command line: its prefix and config here, never the system's /etc/nginx or /var/log/nginx.</summary>
    public IReadOnlyList<string> Arguments => ["-p", Directory + "/", "-c", ConfigurationPath, "-e", "stderr"];

    /// <summary>Writes the config and the folders nginx expects to find.</summary>
    public void Prepare()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "temp"));
        File.WriteAllText(ConfigurationPath, NginxConfiguration.Render(this));
    }

    /// <summary>Ready when it accepts connections on its public port (it has no Consul registration to ask).</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(Address, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
