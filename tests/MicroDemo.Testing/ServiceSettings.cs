using MicroDemo.ServiceDefaults;

namespace MicroDemo.Testing;

/// <summary>The settings a service needs to run natively against a test's Consul agent (as ./demo gives them).</summary>
public static class ServiceSettings
{
    /// <summary>Registers as <paramref name="serviceName"/> at 127.0.0.1 in <paramref name="consul"/>, keeping its data in <paramref name="databasePath"/>.</summary>
    public static Dictionary<string, string> For(string serviceName, Uri consul, string databasePath) => new()
    {
        [SettingNames.ConsulUrl] = consul.ToString().TrimEnd('/'),
        [SettingNames.ServiceName] = serviceName,
        [SettingNames.ServiceAddress] = "127.0.0.1",
        [SettingNames.DatabasePath] = databasePath,
    };
}
