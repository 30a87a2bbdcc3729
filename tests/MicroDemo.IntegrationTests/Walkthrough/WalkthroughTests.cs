using System.Diagnostics;
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
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(4);

    private readonly TempDirectory _run = new();

    [Fact]
    public async Task Every_step_of_the_walkthrough_gives_the_output_the_document_shows()
    {
        var steps = await WalkthroughTrack.StepsAsync(WalkthroughTracks.Native);
        Assert.Contains(steps, step => step.Script.Contains("./demo up -d", StringComparison.Ordinal));
        var environment = Environment();
        // Editing ocelot.json is a step; on a moved Consul port the gateway reads a copy, so the repository's
        // file (which a running stack of the reader's may use) must stay as it was.
        var ocelot = Path.Combine(RepoPaths.Root, "ocelot.json");
        var ocelotBefore = await File.ReadAllBytesAsync(ocelot);
        var total = Stopwatch.StartNew();
        try
        {
            await WalkthroughTrack.RunAsync(
                steps, environment, step => step.Script.Contains("./demo up", StringComparison.Ordinal) ? UpTimeout : StepTimeout, log);
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
        // Step 13 starts two gateway replicas behind the edge, with Redis.
        environment["MICRODEMO_GATEWAY_REPLICA_PORTS"] = $"{IsolatedStack.Port()},{IsolatedStack.Port()}";
        environment["MICRODEMO_REDIS_PORT"] = IsolatedStack.Port();
        return environment;
    }

    /// <summary>Always stops the stack, whatever happened to the steps (./demo down is safe when nothing runs).</summary>
    private static async Task<CommandResult> DownAsync(Dictionary<string, string> environment) =>
        await Command.RunAsync(Path.Combine(RepoPaths.Root, "demo"), ["down"], TimeSpan.FromMinutes(2), environment);
}
