using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MicroDemo.Testing;

/// <summary>Graceful stop for child processes: SIGTERM lets ASP.NET Core and Consul shut down cleanly.</summary>
public static partial class ProcessSignals
{
    private const int SigTerm = 15;

    public static void Terminate(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            // No SIGTERM on Windows; a kill is the best a test can do there.
            process.Kill(entireProcessTree: true);
            return;
        }

        _ = Kill(process.Id, SigTerm);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
