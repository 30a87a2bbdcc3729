using System.Globalization;

namespace MicroDemo.Launcher.Stack;

/// <summary>A port of the stack, with the variable that moves it (named in error messages).</summary>
internal sealed record PortSetting(string Owner, int Port, string EnvironmentVariable);

/// <summary>
/// Every port the stack listens on. Defaults live here and nowhere else. <see cref="Gateway"/> and
/// <see cref="GatewayHttps"/> are the public ports: the gateway's own, or, with replicas, the edge's, which
/// then balances over <see cref="GatewayReplicas"/> (plain http, on loopback, behind it). With the edge comes
/// <see cref="Redis"/>, where the replicas keep what they must agree on.
/// </summary>
internal sealed record StackPorts(
    PortSetting Consul,
    PortSetting Identity,
    PortSetting Users,
    IReadOnlyList<PortSetting> Orders,
    PortSetting Gateway,
    PortSetting GatewayHttps,
    IReadOnlyList<PortSetting> GatewayReplicas,
    PortSetting? Redis = null)
{
    public const int DefaultConsul = 8500;
    public const int DefaultIdentity = 5010;
    public const int DefaultUsers = 5021;
    public static readonly IReadOnlyList<int> DefaultOrders = [5031, 5032];
    public const int DefaultGateway = 5000;
    public const int DefaultGatewayHttps = 5001;
    public const int DefaultRedis = 6379;

    /// <summary>Replica n listens on 5040 + n: clear of the HTTPS port 5001 and of the services' 50x0-50x9 blocks.</summary>
    public const int DefaultGatewayReplicaBase = 5040;

    /// <summary>True when an edge takes the public ports; false for the plain stack of one gateway.</summary>
    public bool HasEdge => GatewayReplicas.Count > 0;

    public IEnumerable<PortSetting> All => [Consul, Identity, Users, .. Orders, Gateway, GatewayHttps, .. GatewayReplicas, .. Redis is null ? [] : new[] { Redis }];

    public static StackPorts From(Func<string, string?> variables)
    {
        var orders = ReadPortList(variables, EnvironmentVariables.OrdersPorts, DefaultOrders)
            .Select((port, index) => Read(variables, $"orders-{index + 1}", EnvironmentVariables.OrdersInstancePort(index + 1), port))
            .ToArray();

        var replicas = ReadGatewayReplicas(variables);
        var front = replicas.Count > 0 ? "edge" : "gateway";
        var ports = new StackPorts(
            Read(variables, "consul", EnvironmentVariables.ConsulPort, DefaultConsul),
            Read(variables, "identity", EnvironmentVariables.IdentityPort, DefaultIdentity),
            Read(variables, "users", EnvironmentVariables.UsersPort, DefaultUsers),
            orders,
            Read(variables, front, EnvironmentVariables.GatewayPort, DefaultGateway),
            Read(variables, $"{front} (https)", EnvironmentVariables.GatewayHttpsPort, DefaultGatewayHttps),
            replicas,
            replicas.Count > 0 ? Read(variables, "redis", EnvironmentVariables.RedisPort, DefaultRedis) : null);

        var clash = ports.All.GroupBy(p => p.Port).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new LauncherException(
                $"Port {clash.Key} is given to more than one process: {string.Join(" and ", clash.Select(p => $"{p.Owner} ({p.EnvironmentVariable})"))}.");
        }

        return ports;
    }

    /// <summary>No replica ports (one gateway on the public ports) unless there are several replicas or MICRODEMO_EDGE=1.</summary>
    private static IReadOnlyList<PortSetting> ReadGatewayReplicas(Func<string, string?> variables)
    {
        var countText = variables(EnvironmentVariables.GatewayReplicas);
        var count = string.IsNullOrWhiteSpace(countText) ? 1
            : int.TryParse(countText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1 ? parsed
            : throw new LauncherException($"{EnvironmentVariables.GatewayReplicas}='{countText}' is not a number of gateway processes (1 or more).");
        if (count == 1 && variables(EnvironmentVariables.Edge)?.Trim() != "1")
        {
            return [];
        }

        var ports = ReadPortList(variables, EnvironmentVariables.GatewayReplicaPorts,
            Enumerable.Range(1, count).Select(replica => DefaultGatewayReplicaBase + replica).ToArray());
        if (ports.Count != count)
        {
            throw new LauncherException(
                $"{EnvironmentVariables.GatewayReplicaPorts} lists {ports.Count} port(s) for {count} replica(s) ({EnvironmentVariables.GatewayReplicas}); give one port per replica.");
        }

        return ports.Select((port, index) => new PortSetting($"gateway-{index + 1}", port, EnvironmentVariables.GatewayReplicaPorts)).ToArray();
    }

    private static PortSetting Read(Func<string, string?> variables, string owner, string variable, int fallback)
    {
        var text = variables(variable);
        return new PortSetting(owner, string.IsNullOrWhiteSpace(text) ? fallback : ParsePort(variable, text), variable);
    }

    private static IReadOnlyList<int> ReadPortList(Func<string, string?> variables, string variable, IReadOnlyList<int> fallback)
    {
        var text = variables(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(item => ParsePort(variable, item))
            .ToArray() is { Length: > 0 } ports
            ? ports
            : throw new LauncherException($"{variable}='{text}' lists no port; give a comma-separated list such as 5031,5032.");
    }

    private static int ParsePort(string variable, string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new LauncherException($"{variable}='{text}' is not a TCP port (1-65535).");
}
