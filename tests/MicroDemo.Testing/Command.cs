using System.Diagnostics;

namespace MicroDemo.Testing;

/// <summary>What a finished command said: its exit code (null when it was killed at its time limit) and its stdout and stderr.</summary>
public sealed record CommandResult(int? ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => ExitCode is { } code ? $"exit {code}\n{Output}" : $"killed at its time limit\n{Output}";
}

/// <summary>Runs a command line to its end, within a time limit, from the repository's root unless told otherwise.</summary>
public static class Command
{
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var output = new ProcessOutput();
        output.Capture(process);
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return new CommandResult(null, output.ToString());
        }

        // The exit can be seen before the last asynchronously read lines; this waits for them.
        process.WaitForExit();
        return new CommandResult(process.ExitCode, output.ToString());
    }
}
