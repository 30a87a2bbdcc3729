using System.Diagnostics;

namespace MicroDemo.Testing;

/// <summary>Finds the repository and the things tests need from it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);
    private static readonly Lazy<string> ConsulLazy = new(FindConsul);

    /// <summary>The folder that holds MicroDemo.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>A real Consul binary, installed by scripts/install-consul.sh when missing.</summary>
    public static string Consul => ConsulLazy.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MicroDemo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"MicroDemo.sln not found above {AppContext.BaseDirectory}.");
    }

    private static string FindConsul()
    {
        var script = Path.Combine(Root, "scripts", "install-consul.sh");
        var start = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not run bash");
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var path = stdout.Trim().Split('\n').LastOrDefault()?.Trim();
        if (process.ExitCode != 0 || string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException($"scripts/install-consul.sh failed (exit {process.ExitCode}): {stderr}");
        }

        return path;
    }
}
