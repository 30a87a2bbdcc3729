using System.Diagnostics;
using MicroDemo.Launcher.Commands;
using MicroDemo.Launcher.Stack;

namespace MicroDemo.Launcher.Edge;

/// <summary>Finds nginx through scripts/install-nginx.sh (which fetches it when missing), only for a stack that has an edge.</summary>
internal static class NginxInstall
{
    public static async Task<string> LocateAsync(StackSettings stack, TextWriter errors, CancellationToken cancellationToken)
    {
        var script = Path.Combine(stack.RepoRoot, "scripts", "install-nginx.sh");
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new LauncherException($"Could not run {script}.");
        var path = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var messages = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        errors.Write(await messages);
        var found = (await path).Trim();
        return process.ExitCode == 0 && found.Length > 0
            ? found
            : throw new LauncherException(
                $"The edge in front of the gateway replicas needs nginx, and {LogFiles.Display(script)} could not provide it (see above). " +
                $"Install nginx, or run a single gateway (unset {EnvironmentVariables.GatewayReplicas} and {EnvironmentVariables.Edge}).");
    }
}
