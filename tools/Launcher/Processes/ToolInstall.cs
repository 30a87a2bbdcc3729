using System.Diagnostics;
using MicroDemo.Launcher.Commands;
using MicroDemo.Launcher.Stack;

namespace MicroDemo.Launcher.Processes;

/// <summary>
/// Finds a tool the stack needs only in some shapes (nginx and Redis, for gateway replicas) through its
/// scripts/install-*.sh, which fetches it when missing and prints its path.
/// </summary>
internal static class ToolInstall
{
    /// <param name="script">The script's file name under scripts/, e.g. install-nginx.sh.</param>
    /// <param name="why">What needs the tool, for the error when the script cannot provide it.</param>
    public static async Task<string> LocateAsync(StackSettings stack, string script, string why, TextWriter errors, CancellationToken cancellationToken)
    {
        var path = Path.Combine(stack.RepoRoot, "scripts", script);
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new LauncherException($"Could not run {path}.");
        var found = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var messages = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        errors.Write(await messages);
        var tool = (await found).Trim();
        return process.ExitCode == 0 && tool.Length > 0
            ? tool
            : throw new LauncherException(
                $"{why}, and {LogFiles.Display(path)} could not provide it (see above). " +
                $"Install it, or run a single gateway (unset {EnvironmentVariables.GatewayReplicas} and {EnvironmentVariables.Edge}).");
    }
}
