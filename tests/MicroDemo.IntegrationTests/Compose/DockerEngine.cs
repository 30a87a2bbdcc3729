using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Compose;

/// <summary>Tests that run containers, serialized: see <see cref="ComposeWalkthroughTests"/>.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerCollection
{
    public const string Name = "Docker";
}

/// <summary>The Docker engine and compose v2 plugin the compose tests run on.</summary>
internal static class DockerEngine
{
    /// <summary>Fails, saying what to do, when `docker compose` cannot run containers here.</summary>
    public static async Task RequireAsync()
    {
        var compose = await Command.RunAsync("docker", ["compose", "version"], TimeSpan.FromSeconds(30));
        var engine = await Command.RunAsync("docker", ["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(30));
        if (!compose.Succeeded || !engine.Succeeded)
        {
            Assert.Fail(
                "The compose tests need a Docker engine and the compose v2 plugin. `./demo test` sets them up " +
                "(scripts/install-docker.sh, then scripts/local-images.sh where no registry answers); run it, or those scripts.\n" +
                $"docker compose version: {compose}\ndocker info: {engine}");
        }
    }
}
