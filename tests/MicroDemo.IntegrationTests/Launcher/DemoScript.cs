using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Launcher;

/// <summary>Runs ./demo as a user would, with the environment of a test's own stack (see <see cref="IsolatedStack"/>).</summary>
public sealed class DemoScript(Dictionary<string, string> environment, string runDirectory)
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public Dictionary<string, string> Environment => environment;

    public ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "demo"))
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    public async Task<DemoResult> RunAsync(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./demo {string.Join(' ', arguments)} did not finish within {CommandTimeout}.");
        }

        // End of output proves no child kept ./demo's output pipe open (detached children must not).
        var pipesClosed = TimeSpan.FromSeconds(30);
        return new DemoResult(process.ExitCode, await output.WaitAsync(pipesClosed), await errors.WaitAsync(pipesClosed));
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

public sealed record DemoResult(int ExitCode, string Output, string Errors)
{
    public string Text => new StringBuilder().AppendLine($"exit {ExitCode}").AppendLine(Output).AppendLine(Errors).ToString();
}
