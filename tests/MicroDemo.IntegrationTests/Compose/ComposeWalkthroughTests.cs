using System.Diagnostics;
using MicroDemo.IntegrationTests.Walkthrough;
using MicroDemo.Testing;
using Xunit.Abstractions;

namespace MicroDemo.IntegrationTests.Compose;

/// <summary>
/// The compose track of docs/walkthrough.md, run for real: `docker compose up --wait`, tokens, cache, rate limit,
/// the circuit breaker, a new service, hot reload of a mounted ocelot.json saved by rename, scaling orders to three,
/// two gateways behind the nginx edge of docker-compose.scale.yml, and `down -v` leaving nothing. A project of its
/// own on free ports, so a reader's stack (compose or ./demo) can stay up meanwhile.
/// </summary>
/// <remarks>
/// Alone in its collection, with parallelization off: building images and starting six containers takes
/// both cores of a small machine, and the tests that measure timings as ratios must not share them.
/// </remarks>
[Collection(DockerCollection.Name)]
public sealed class ComposeWalkthroughTests(ITestOutputHelper log)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Every_step_of_the_compose_track_gives_the_output_the_document_shows()
    {
        await DockerEngine.RequireAsync();
        var steps = await WalkthroughTrack.StepsAsync(WalkthroughTracks.Compose);
        var total = Stopwatch.StartNew();
        // The track edits ocelot.json: the gateway reads a copy, so a stack of the reader's keeps the repository's file.
        using var config = new TempDirectory();
        File.Copy(Path.Combine(RepoPaths.Root, "ocelot.json"), config.File("ocelot.json"));
        if (!OperatingSystem.IsWindows())
        {
            // Temporary folders are private to their owner; the gateway's container runs as another user.
            File.SetUnixFileMode(config.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        await using (var project = new ComposeProject())
        {
            project.Environment["MICRODEMO_GATEWAY_CONFIG_DIR"] = config.Path;
            log.WriteLine($"compose project {project}");
            await WalkthroughTrack.RunAsync(
                steps, project.Environment, step => step.Script.Contains("--build", StringComparison.Ordinal) ? BuildTimeout : StepTimeout, log);

            // The last step ran `down -v` and showed nothing left; this holds whatever the document says.
            Assert.Empty(await project.LeftoversAsync());
        }

        log.WriteLine($"total {total.Elapsed.TotalSeconds:0} s");
    }
}
