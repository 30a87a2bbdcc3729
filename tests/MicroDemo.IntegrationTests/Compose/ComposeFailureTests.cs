using System.Net;
using System.Net.Sockets;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Compose;

/// <summary>
/// What `docker compose up --wait` says when it cannot work: at once, naming what is wrong, as the README's
/// "When it does not come up" table promises. Consul alone is enough to see each failure.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ComposeFailureTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_published_port_already_taken_is_named()
    {
        await DockerEngine.RequireAsync();
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var project = new ComposeProject();
        project.Environment["MICRODEMO_CONSUL_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var up = await project.ComposeAsync(Limit, "up", "-d", "--wait", "consul");

        AssertFailed(up);
        Assert.Contains($"127.0.0.1:{port}", up.Text, StringComparison.Ordinal);
        Assert.True(
            up.Text.Contains("address already in use", StringComparison.Ordinal) || up.Text.Contains("port is already allocated", StringComparison.Ordinal),
            $"expected Docker to say the port is taken:\n{up}");
    }

    [Fact]
    public async Task An_image_that_cannot_be_had_names_the_service()
    {
        await DockerEngine.RequireAsync();
        await using var project = new ComposeProject();
        project.Environment["MICRODEMO_CONSUL_IMAGE"] = "microdemo-local/no-such-image:0";

        var up = await project.ComposeAsync(Limit, "up", "-d", "--wait", "consul");

        AssertFailed(up);
        Assert.Contains("consul", up.Text, StringComparison.Ordinal);
        Assert.Contains("Error", up.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_daemon_says_so()
    {
        using var nowhere = new TempDirectory();
        var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = $"unix://{nowhere.File("docker.sock")}" };

        var up = await Command.RunAsync("docker", ["compose", "up", "-d", "--wait", "consul"], Limit, environment);

        AssertFailed(up);
        Assert.Contains("Cannot connect to the Docker daemon", up.Text, StringComparison.Ordinal);
    }

    private static void AssertFailed(CommandResult result)
    {
        Assert.True(result.ExitCode is { } code && code != 0, $"expected compose to fail at once, not hang or succeed:\n{result}");
    }
}
