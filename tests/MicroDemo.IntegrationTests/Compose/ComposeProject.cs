using MicroDemo.IntegrationTests.Launcher;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Compose;

/// <summary>
/// A compose project of the test's own: its own name (so its containers, network and volumes never meet the
/// reader's <c>microdemo</c> project) and free host ports, through the same variables the compose file and
/// ./demo read. <see cref="DisposeAsync"/> removes everything it created, whatever the test did.
/// </summary>
public sealed class ComposeProject : IAsyncDisposable
{
    private static readonly TimeSpan DownTimeout = TimeSpan.FromMinutes(2);

    public ComposeProject()
    {
        Name = $"microdemo-test-{Guid.NewGuid().ToString("N")[..8]}";
        Environment = new Dictionary<string, string>
        {
            ["COMPOSE_PROJECT_NAME"] = Name,
            ["MICRODEMO_CONSUL_PORT"] = IsolatedStack.Port(),
            ["MICRODEMO_IDENTITY_PORT"] = IsolatedStack.Port(),
            ["MICRODEMO_USERS_PORT"] = IsolatedStack.Port(),
            ["MICRODEMO_GATEWAY_PORT"] = IsolatedStack.Port(),
            // docker-compose.scale.yml's fixed subnet: one of the test's own, not the reader's 172.30.250.0/24.
            ["MICRODEMO_NETWORK_PREFIX"] = $"172.30.{Random.Shared.Next(100, 250)}",
        };
    }

    public string Name { get; }

    public Dictionary<string, string> Environment { get; }

    /// <summary>Runs <c>docker compose ARGS</c> for this project.</summary>
    public Task<CommandResult> ComposeAsync(TimeSpan timeout, params string[] arguments) =>
        Command.RunAsync("docker", ["compose", .. arguments], timeout, Environment);

    /// <summary>Containers, volumes and networks of this project that still exist, one line each.</summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync()
    {
        var left = new List<string>();
        foreach (var kind in new[] { "container", "volume", "network" })
        {
            var listed = await Command.RunAsync(
                "docker", [kind, "ls", "--quiet", .. kind == "container" ? new[] { "--all" } : [], "--filter", $"label=com.docker.compose.project={Name}"],
                TimeSpan.FromSeconds(30));
            left.AddRange(listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => $"{kind} {id}"));
        }

        return left;
    }

    public async ValueTask DisposeAsync()
    {
        // Every profile, orphans too: whatever a failed step left behind. A short stop timeout: nothing here needs grace.
        await ComposeAsync(DownTimeout, "--profile", "extra", "down", "--volumes", "--remove-orphans", "--timeout", "5");
    }

    public override string ToString() => Name;
}
