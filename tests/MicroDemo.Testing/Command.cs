using System.Diagnostics;
using System.Text;

namespace MicroDemo.Testing;

/// <summary>What a finished command said: its exit code (null when it was killed at its time limit), its stdout and its stderr.</summary>
public sealed record CommandResult(int? ExitCode, string Output, string Errors)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Everything it wrote, stdout then stderr: what a failure message shows, and where a tool's error (often on stderr) is looked for.</summary>
    public string Text => new StringBuilder().AppendLine(Output).Append(Errors).ToString();

    public override string ToString() => ExitCode is { } code ? $"exit {code}\n{Text}" : $"killed at its time limit\n{Text}";
}

/// <summary>Runs a command line to its end, within a time limit, from the repository's root unless told otherwise.</summary>
public static class Command
{
    /// <summary>How long the output may stay open once the command has exited (see <see cref="RunAsync"/>).</summary>
    private static readonly TimeSpan PipesClosed = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="fileName"/> with stdin closed. The result comes once it has exited and its output has
    /// ended: a child it left running that still holds the output pipes (a daemon that should have detached from
    /// them) fails with a <see cref="TimeoutException"/> after <see cref="PipesClosed"/> rather than hanging the test.
    /// </summary>
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
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        int? exitCode;
        using (var limit = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(limit.Token);
                exitCode = process.ExitCode;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                exitCode = null;
            }
        }

        return new CommandResult(exitCode, await output.WaitAsync(PipesClosed), await errors.WaitAsync(PipesClosed));
    }
}
