using System.Diagnostics;
using System.Text.Json;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Launcher;

/// <summary>Runs ./demo as a user would, with the environment of a test's own stack (see <see cref="IsolatedStack"/>).</summary>
public sealed class DemoScript(Dictionary<string, string> environment, string runDirectory)
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public Dictionary<string, string> Environment => environment;

    /// <summary>For a <c>./demo</c> a test drives itself (a foreground <c>up</c> it stops with a signal).</summary>
    public ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "demo"), arguments)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs <c>./demo ARGUMENTS</c> to its end; a run longer than <see cref="CommandTimeout"/> fails the test.</summary>
    public async Task<CommandResult> RunAsync(params string[] arguments)
    {
        var result = await Command.RunAsync(Path.Combine(RepoPaths.Root, "demo"), arguments, CommandTimeout, environment);
        return result.ExitCode is null
            ? throw new TimeoutException($"./demo {string.Join(' ', arguments)} did not finish within {CommandTimeout}.\n{result.Text}")
            : result;
    }

    /// <summary>The processes the state file lists, by name.</summary>
    public IReadOnlyDictionary<string, int> StartedPids()
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "stack.json")));
        return state.RootElement.GetProperty("processes").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("pid").GetInt32());
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            // A zombie (exited, not yet reaped by its parent) has left nothing running.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
