using MicroDemo.Launcher.Certificates;
using MicroDemo.ServiceDefaults;

namespace MicroDemo.Launcher.Stack;

/// <summary>The processes of the stack in start order (Consul, which comes first, is not an app). Adding a process is one line here.</summary>
internal static class StackDefinition
{
    public static IReadOnlyList<AppDefinition> Apps(StackSettings stack, GatewayCertificate certificate)
    {
        var ports = stack.Ports;
        var authority = Setting(SettingNames.IdentityAuthority, $"http://127.0.0.1:{ports.Identity.Port}");
        // Both orders instances share one database, as replicas of one service behind a load balancer do:
        // an order created through one instance is readable through the other (SQLite's WAL allows it).
        var ordersDatabase = Setting(SettingNames.DatabasePath, Path.Combine(stack.DataDirectory, "orders.db"));

        AppDefinition[] apps =
        [
            // In a folder of its own: the token service keeps the key's folder private (mode 700).
            new("identity", "identity", "services/identity", "MicroDemo.Identity", ports.Identity,
                Settings(Setting(SettingNames.IdentityKeyPath, Path.Combine(stack.DataDirectory, "identity", "signing-keys.json")))),
            new("users", "users", "services/users", "MicroDemo.Users", ports.Users,
                Settings(authority, Setting(SettingNames.DatabasePath, Path.Combine(stack.DataDirectory, "users.db")))),
            .. ports.Orders.Select(port => new AppDefinition(port.Owner, "orders", "services/orders", "MicroDemo.Orders", port,
                Settings(authority, ordersDatabase))),
            .. Gateways(stack, certificate, authority),
        ];

        if (stack.Only is not { } only)
        {
            return apps;
        }

        var unknown = only.Except(apps.Select(app => app.ServiceName), StringComparer.OrdinalIgnoreCase).ToArray();
        if (unknown.Length > 0)
        {
            throw new LauncherException(
                $"{EnvironmentVariables.Only} names unknown services: {string.Join(", ", unknown)} (known: {string.Join(", ", apps.Select(a => a.ServiceName).Distinct())}).");
        }

        return apps.Where(app => only.Contains(app.ServiceName)).ToArray();
    }

    /// <summary>
    /// One gateway on the public ports with its HTTPS listener; or, behind the edge, one replica per replica port,
    /// plain http (the edge terminates TLS), each believing the X-Forwarded-For the edge (127.0.0.1) sends.
    /// Every replica registers as "gateway" with an ID of its own (gateway-127.0.0.1-{port}).
    /// </summary>
    private static IEnumerable<AppDefinition> Gateways(StackSettings stack, GatewayCertificate certificate, KeyValuePair<string, string> authority)
    {
        var ports = stack.Ports;
        // Socket completions on the I/O thread, with the gateway's inline scheduling (see GatewayKestrelExtensions).
        var runtime = new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" };
        var settings = Settings(
            authority,
            Setting(SettingNames.ServiceRegisterInConsul, "true"),
            Setting(SettingNames.GatewayOcelotFile, GatewayOcelotFile.PathFor(stack)));
        if (!ports.HasEdge)
        {
            settings[SettingNames.GatewayHttpsPort] = ports.GatewayHttps.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[SettingNames.GatewayHttpsCertificatePath] = certificate.Path;
            settings[SettingNames.GatewayHttpsCertificatePassword] = certificate.Password;
            return [new("gateway", "gateway", "gateway", "MicroDemo.Gateway", ports.Gateway, settings) { HttpsPort = ports.GatewayHttps, RuntimeVariables = runtime }];
        }

        settings[SettingNames.GatewayTrustedProxies + ":0"] = Edge.EdgeDefinition.Address;
        // What replicas must agree on: rate-limit counters and the cache in Redis, the configuration in Consul KV
        // (an admin API change reaches every replica; the file seeds the key).
        if (ports.Redis is { } redis)
        {
            settings[SettingNames.GatewayRedisConfiguration] = Redis.StackRedis.Configuration(redis.Port);
        }

        settings[SettingNames.GatewayConfigurationStore] = "Consul";
        return ports.GatewayReplicas.Select(port =>
            new AppDefinition(port.Owner, "gateway", "gateway", "MicroDemo.Gateway", port, settings) { RuntimeVariables = runtime });
    }

    private static KeyValuePair<string, string> Setting(string key, string value) => new(key, value);

    private static Dictionary<string, string> Settings(params KeyValuePair<string, string>[] settings) => new(settings);
}
