using System.Globalization;
using System.Runtime.InteropServices;

namespace MicroDemo.Launcher.Processes;

/// <summary>
/// Processes by pid, read from /proc, for processes the launcher did not start in this run
/// (`./demo down` and `status` only have the state file). A pid is ours only while its start time
/// matches the one recorded, so a reused pid is never signalled.
/// </summary>
internal static partial class ProcessTable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    /// <summary>The process's start time in clock ticks since boot (field 22 of /proc/pid/stat), or null when it is gone.</summary>
    public static ulong? StartTime(int pid)
    {
        var fields = ReadStatFields(pid);
        // Fields after the command name start at field 3 (state); starttime is field 22.
        return fields is { Length: > 19 } && fields[0] != "Z"
               && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? ticks
            : null;
    }

    public static bool IsRunning(int pid, ulong startTime) => StartTime(pid) == startTime;

    /// <summary>Asks the process to stop (SIGTERM), then kills it if it has not exited within <paramref name="grace"/>.</summary>
    /// <returns>False when it had to be killed.</returns>
    public static async Task<bool> StopAsync(int pid, ulong startTime, TimeSpan grace)
    {
        if (!IsRunning(pid, startTime))
        {
            return true;
        }

        _ = Kill(pid, SigTerm);
        if (await WaitForExitAsync(pid, startTime, grace))
        {
            return true;
        }

        _ = Kill(pid, SigKill);
        await WaitForExitAsync(pid, startTime, TimeSpan.FromSeconds(10));
        return false;
    }

    public static async Task<bool> WaitForExitAsync(int pid, ulong startTime, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsRunning(pid, startTime))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>The process's command line, for messages such as "port 5021 is used by pid 42 (dotnet users.dll)".</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return raw.Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[]? ReadStatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may itself hold spaces or parentheses.
            var afterName = stat[(stat.LastIndexOf(')') + 1)..];
            return afterName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
