using System.Diagnostics;
using System.Globalization;
using System.Text;
using MicroDemo.IntegrationTests.Launcher;
using MicroDemo.Testing;
using Xunit.Abstractions;

namespace MicroDemo.IntegrationTests.Walkthrough;

/// <summary>
/// docs/walkthrough.md is a test: its ```bash steps run in order against a real stack (`./demo up -d`, a step
/// of the document) on free ports and in a temporary run folder, so a stack of the reader's own may be up
/// meanwhile. The document takes its URLs from the same MICRODEMO_* variables ./demo reads.
/// </summary>
public sealed class WalkthroughTests(ITestOutputHelper log) : IDisposable
{
    private const string Document = "docs/walkthrough.md";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(4);

    private readonly TempDirectory _run = new();

    [Fact]
    public async Task Every_step_of_the_walkthrough_gives_the_output_the_document_shows()
    {
        var steps = WalkthroughDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, Document)));
        Assert.Contains(steps, step => step.Script.Contains("./demo up -d", StringComparison.Ordinal));
        var environment = Environment();
        // Editing ocelot.json is a step; on a moved Consul port the gateway reads a copy, so the repository's
        // file (which a running stack of the reader's may use) must stay as it was.
        var ocelot = Path.Combine(RepoPaths.Root, "ocelot.json");
        var ocelotBefore = await File.ReadAllBytesAsync(ocelot);
        var total = Stopwatch.StartNew();
        try
        {
            using var bash = new BashSession(RepoPaths.Root, environment);
            foreach (var step in steps)
            {
                if (step.NeedsDocker)
                {
                    log.WriteLine($"SKIP  {step.Name} ({Document}:{step.Line}): needs Docker");
                    continue;
                }

                var timeout = step.Script.Contains("./demo up", StringComparison.Ordinal) ? UpTimeout : StepTimeout;
                var result = await bash.RunAsync(step, timeout);
                var problem = result.Problem
                              ?? (result.ExitCode != 0 ? $"it exited with {result.ExitCode}" : null)
                              ?? ExpectedOutput.Mismatch(step.Expected, result.Output);
                if (problem is not null)
                {
                    Assert.Fail(Describe(step, result, problem));
                }

                log.WriteLine($"ok    {step.Name} ({result.Elapsed.TotalSeconds:0.0} s)");
            }
        }
        finally
        {
            var down = await DownAsync(environment);
            log.WriteLine($"./demo down: {down}");
            log.WriteLine($"total {total.Elapsed.TotalSeconds:0} s");
            if (!(await File.ReadAllBytesAsync(ocelot)).AsSpan().SequenceEqual(ocelotBefore))
            {
                await File.WriteAllBytesAsync(ocelot, ocelotBefore);
                Assert.Fail("The walkthrough changed the repository's ocelot.json (restored): its steps must edit the file ./demo status names.");
            }
        }
    }

    public void Dispose() => _run.Dispose();

    private Dictionary<string, string> Environment()
    {
        var environment = IsolatedStack.Environment(_run.Path);
        // The port of the stand-in service the walkthrough registers in Consul by hand.
        environment["HELLO_PORT"] = IsolatedStack.Port();
        return environment;
    }


    private static string Describe(WalkthroughStep step, StepResult result, string problem) =>
        new StringBuilder()
            .AppendLine($"Walkthrough step '{step.Name}' ({Document}:{step.Line}) failed after {result.Elapsed.TotalSeconds:0.0} s: {problem}")
            .AppendLine("--- commands ---").AppendLine(step.Script)
            .AppendLine("--- expected ---").AppendLine(string.Join('\n', step.Expected))
            .AppendLine("--- output ---").AppendLine(result.Output)
            .ToString();

    /// <summary>Always stops the stack, whatever happened to the steps (./demo down is safe when nothing runs).</summary>
    private static async Task<string> DownAsync(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "demo"), ["down"])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return "did not finish within 2 minutes";
        }

        return $"exit {process.ExitCode}\n{await output}{await errors}";
    }
}
