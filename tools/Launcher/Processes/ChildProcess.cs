using System.Diagnostics;

namespace MicroDemo.Launcher.Processes;

/// <summary>Starts the stack's processes.</summary>
internal static class ChildProcess
{
    // setsid gives the child its own session: Ctrl+C in the terminal reaches only the launcher, which
    // then stops the children in order, and children started by `up -d` outlive the launcher. The shell
    // wrapper points the child's stdin/stdout/stderr at /dev/null and its log before exec, so no pipe
    // ties it to the launcher (a test reading ./demo's output would otherwise never see end-of-file).
    // exec keeps one pid from setsid to the app, so the pid we record is the app's.
    private const string RedirectAndExec = "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1";

    /// <summary>Starts <paramref name="fileName"/> in its own session with its output appended to <paramref name="logPath"/>.</summary>
    public static Process Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        string logPath)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in (string[])["sh", "-c", RedirectAndExec, "sh", logPath, fileName, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new LauncherException($"Could not start {fileName}.");
    }
}
