using System.Text;
using MicroDemo.Testing;
using Xunit.Abstractions;

namespace MicroDemo.IntegrationTests.Walkthrough;

/// <summary>Runs one track of docs/walkthrough.md, step by step in one <see cref="BashSession"/>, as a reader would.</summary>
public static class WalkthroughTrack
{
    public const string Document = "docs/walkthrough.md";

    public static async Task<IReadOnlyList<WalkthroughStep>> StepsAsync(string track)
    {
        var steps = WalkthroughDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, Document)))
            .Where(step => step.Track == track)
            .ToList();
        Assert.True(steps.Count > 0, $"{Document} has no step of the {track} track.");
        return steps;
    }

    /// <summary>Runs the steps in order and fails at the first one that exits non-zero or prints other than it shows.</summary>
    public static async Task RunAsync(
        IReadOnlyList<WalkthroughStep> steps, IReadOnlyDictionary<string, string> environment, Func<WalkthroughStep, TimeSpan> timeout, ITestOutputHelper log)
    {
        using var bash = new BashSession(RepoPaths.Root, environment);
        foreach (var step in steps)
        {
            var result = await bash.RunAsync(step, timeout(step));
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

    private static string Describe(WalkthroughStep step, StepResult result, string problem) =>
        new StringBuilder()
            .AppendLine($"Walkthrough step '{step.Name}' ({Document}:{step.Line}) failed after {result.Elapsed.TotalSeconds:0.0} s: {problem}")
            .AppendLine("--- commands ---").AppendLine(step.Script)
            .AppendLine("--- expected ---").AppendLine(string.Join('\n', step.Expected))
            .AppendLine("--- output ---").AppendLine(result.Output)
            .ToString();
}
