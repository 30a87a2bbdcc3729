using System.Globalization;

namespace MicroDemo.Launcher.Stack;

/// <summary>Where the stack lives on disk and how it is shaped, read once from MICRODEMO_* variables.</summary>
internal sealed record StackSettings
{
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The folder that holds MicroDemo.sln.</summary>
    public required string RepoRoot { get; init; }

    /// <summary>Logs, the state file, data and certificates; <c>.run/</c> in the repo unless MICRODEMO_RUN_DIR says otherwise.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>The build configuration whose app DLLs are started (the launcher's own).</summary>
    public required string Configuration { get; init; }

    public required StackPorts Ports { get; init; }

    /// <summary>Service names to start (MICRODEMO_ONLY, a debugging aid); null means the whole stack.</summary>
    public IReadOnlySet<string>? Only { get; init; }

    public TimeSpan ReadyTimeout { get; init; } = DefaultReadyTimeout;

    public string LogsDirectory => Path.Combine(RunDirectory, "logs");

    public string DataDirectory => Path.Combine(RunDirectory, "data");

    public string CertificatesDirectory => Path.Combine(RunDirectory, "certs");

    public string StateFile => Path.Combine(RunDirectory, "stack.json");

    public Uri ConsulUrl => new($"http://127.0.0.1:{Ports.Consul.Port}");

    public static StackSettings From(Func<string, string?> variables, string repoRoot, string configuration)
    {
        var runDirectory = variables(EnvironmentVariables.RunDirectory);
        var only = variables(EnvironmentVariables.Only);
        var timeout = variables(EnvironmentVariables.ReadyTimeout);
        return new StackSettings
        {
            RepoRoot = repoRoot,
            RunDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(runDirectory) ? Path.Combine(repoRoot, ".run") : runDirectory),
            Configuration = configuration,
            Ports = StackPorts.From(variables),
            Only = string.IsNullOrWhiteSpace(only)
                ? null
                : only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase),
            ReadyTimeout = string.IsNullOrWhiteSpace(timeout)
                ? DefaultReadyTimeout
                : int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new LauncherException($"{EnvironmentVariables.ReadyTimeout}='{timeout}' is not a number of seconds."),
        };
    }
}
