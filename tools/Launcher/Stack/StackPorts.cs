using System.Globalization;

namespace MicroDemo.Launcher.Stack;

/// <summary>A port of the stack, with the variable that moves it (named in error messages).</summary>
internal sealed record PortSetting(string Owner, int Port, string EnvironmentVariable);

/// <summary>Every port the stack listens on. Defaults live here and nowhere else.</summary>
internal sealed record StackPorts(
    PortSetting Consul,
    PortSetting Identity,
    PortSetting Users,
    IReadOnlyList<PortSetting> Orders,
    PortSetting Gateway,
    PortSetting GatewayHttps)
{
    public const int DefaultConsul = 8500;
    public const int DefaultIdentity = 5010;
    public const int DefaultUsers = 5021;
    public static readonly IReadOnlyList<int> DefaultOrders = [5031, 5032];
    public const int DefaultGateway = 5000;
    public const int DefaultGatewayHttps = 5001;

    public IEnumerable<PortSetting> All => [Consul, Identity, Users, .. Orders, Gateway, GatewayHttps];

    public static StackPorts From(Func<string, string?> variables)
    {
        var orders = ReadPortList(variables, EnvironmentVariables.OrdersPorts, DefaultOrders)
            .Select((port, index) => Read(variables, $"orders-{index + 1}", EnvironmentVariables.OrdersInstancePort(index + 1), port))
            .ToArray();

        var ports = new StackPorts(
            Read(variables, "consul", EnvironmentVariables.ConsulPort, DefaultConsul),
            Read(variables, "identity", EnvironmentVariables.IdentityPort, DefaultIdentity),
            Read(variables, "users", EnvironmentVariables.UsersPort, DefaultUsers),
            orders,
            Read(variables, "gateway", EnvironmentVariables.GatewayPort, DefaultGateway),
            Read(variables, "gateway (https)", EnvironmentVariables.GatewayHttpsPort, DefaultGatewayHttps));

        var clash = ports.All.GroupBy(p => p.Port).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new LauncherException(
                $"Port {clash.Key} is given to more than one process: {string.Join(" and ", clash.Select(p => $"{p.Owner} ({p.EnvironmentVariable})"))}.");
        }

        return ports;
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
