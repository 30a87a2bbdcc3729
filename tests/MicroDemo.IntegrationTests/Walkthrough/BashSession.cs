using System.Diagnostics;
using System.Text;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Walkthrough;

/// <summary>
/// Runs walkthrough steps one after another as a reader would in one terminal: each step is its own
/// <c>bash</c> process, but the shell variables a step sets (TOKEN=...) are saved and restored for the
/// next one. Each step runs in a process group of its own, so whatever it leaves in the background (a
/// stand-in service) is killed on dispose, even when a step fails.
/// </summary>
public sealed class BashSession : IDisposable
{
    // Saves every variable the step (or an earlier step) set, i.e. not in the shell's initial set, for the next step.
    private const string Prologue = """
        exec 2>&1
        __initial="$(compgen -v)"
        [ -f "$WALKTHROUGH_VARIABLES" ] && source "$WALKTHROUGH_VARIABLES"
        __save() {
          local __name
          for __name in $(compgen -v); do
            case "$__name" in __*) continue ;; esac
            grep -qxF -- "$__name" <<<"$__initial" || declare -p "$__name" 2>/dev/null
          done > "$WALKTHROUGH_VARIABLES.new"
          mv "$WALKTHROUGH_VARIABLES.new" "$WALKTHROUGH_VARIABLES"
        }
        trap '__status=$?; __save; exit $__status' EXIT

        """;

    private readonly TempDirectory _scripts = new();
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _workingDirectory;
    private readonly List<int> _processGroups = [];

    public BashSession(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        _workingDirectory = workingDirectory;
        _environment = environment;
    }

    public async Task<StepResult> RunAsync(WalkthroughStep step, TimeSpan timeout)
    {
        var script = _scripts.File($"step-{step.Line}.sh");
        await File.WriteAllTextAsync(script, Prologue + step.Script + "\n");
        // setsid: the step leads a new process group (its pid is the group id), which Dispose kills.
        var start = new ProcessStartInfo("setsid", ["bash", script])
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["WALKTHROUGH_VARIABLES"] = _scripts.File("variables.sh");
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        _processGroups.Add(process.Id);
        process.StandardInput.Close();
        var output = new StringBuilder();
        var reading = ReadAllAsync(process.StandardOutput, output);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            // A background command that kept the terminal (stdout) would hold the pipe open forever.
            await reading.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            KillGroup(process.Id);
            var reason = process.HasExited
                ? "a background process it started still holds its output open (redirect the output of commands ending in &)"
                : $"it did not finish within {timeout.TotalSeconds:0} s";
            return new StepResult(null, Snapshot(output), stopwatch.Elapsed, reason);
        }

        return new StepResult(process.ExitCode, Snapshot(output), stopwatch.Elapsed, null);
    }

    public void Dispose()
    {
        foreach (var group in _processGroups)
        {
            KillGroup(group);
        }

        _scripts.Dispose();
    }

    private static async Task ReadAllAsync(StreamReader reader, StringBuilder output)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (output)
            {
                output.Append(buffer, 0, read);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>SIGKILL to the whole group; a group that has already gone is no error.</summary>
    private static void KillGroup(int processGroup)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", $"-{processGroup}"]) { RedirectStandardError = true });
        kill?.WaitForExit();
    }
}

/// <param name="ExitCode">Null when the step had to be stopped (<paramref name="Problem"/> says why).</param>
public sealed record StepResult(int? ExitCode, string Output, TimeSpan Elapsed, string? Problem);
