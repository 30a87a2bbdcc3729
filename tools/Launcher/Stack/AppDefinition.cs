using MicroDemo.ServiceDefaults;

namespace MicroDemo.Launcher.Stack;

/// <summary>
/// One process of the stack: what to run, where it listens and what it is told. It is ready when Consul
/// lists it as passing under <see cref="ServiceName"/> on <see cref="Port"/>: every app registers itself,
/// so Consul's own health check is the one readiness signal the launcher trusts.
/// </summary>
/// <param name="Name">The instance name shown in tables and used for its log file, e.g. <c>orders-2</c>.</param>
/// <param name="ServiceName">The Consul service it registers as, e.g. <c>orders</c>.</param>
/// <param name="Project">The project folder, relative to the repository root.</param>
/// <param name="Assembly">The built assembly's name (the DLL is <c>{Project}/bin/{Configuration}/net10.0/{Assembly}.dll</c>).</param>
/// <param name="Settings">Configuration beyond the settings every app gets (see <see cref="Environment"/>), keyed by <see cref="SettingNames"/>.</param>
internal sealed record AppDefinition(
    string Name,
    string ServiceName,
    string Project,
    string Assembly,
    PortSetting Port,
    IReadOnlyDictionary<string, string> Settings)
{
    public const string TargetFramework = "net10.0";

    /// <summary>An extra HTTPS listener (the gateway's), shown in tables.</summary>
    public PortSetting? HttpsPort { get; init; }

    public string Url => $"http://127.0.0.1:{Port.Port}";

    /// <summary>Runtime switches that only exist as environment variables (<c>DOTNET_*</c>), given as they are.</summary>
    public IReadOnlyDictionary<string, string> RuntimeVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>Every port it listens on.</summary>
    public IEnumerable<PortSetting> Ports => HttpsPort is null ? [Port] : [Port, HttpsPort];

    public IEnumerable<string> Urls => HttpsPort is null ? [Url] : [Url, $"https://localhost:{HttpsPort.Port}"];

    public string DllPath(StackSettings stack) =>
        Path.Combine(stack.RepoRoot, Project, "bin", stack.Configuration, TargetFramework, Assembly + ".dll");

    /// <summary>The process environment: the settings every app needs to listen and register, then its own.</summary>
    public IReadOnlyDictionary<string, string> Environment(StackSettings stack)
    {
        var settings = new Dictionary<string, string>
        {
            [SettingNames.Urls] = Url,
            [SettingNames.ConsulUrl] = stack.ConsulUrl.ToString().TrimEnd('/'),
            [SettingNames.ServiceName] = ServiceName,
            [SettingNames.ServiceAddress] = "127.0.0.1",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        var environment = settings.ToDictionary(pair => SettingNames.ToEnvironmentVariable(pair.Key), pair => pair.Value);
        foreach (var (name, value) in RuntimeVariables)
        {
            environment[name] = value;
        }

        return environment;
    }
}
