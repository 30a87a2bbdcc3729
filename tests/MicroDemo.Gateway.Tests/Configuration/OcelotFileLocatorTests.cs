using MicroDemo.Gateway.Configuration;

namespace MicroDemo.Gateway.Tests.Configuration;

public sealed class OcelotFileLocatorTests
{
    [Fact]
    public void Configured_path_is_used_relative_to_the_current_directory()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("custom.json", "{}");

        Assert.Equal(path, OcelotFileLocator.Locate("custom.json", directory.Path, "/nowhere"));
    }

    [Fact]
    public void Missing_configured_path_is_a_clear_error()
    {
        using var directory = new TempDirectory();

        var exception = Assert.Throws<GatewayConfigurationException>(() => OcelotFileLocator.Locate("missing.json", directory.Path, directory.Path));

        var error = Assert.Single(exception.Errors);
        Assert.Equal($"missing.json: (startup): Gateway:OcelotFile: the file '{Path.Combine(directory.Path, "missing.json")}' does not exist", error.ToString());
    }

    [Fact]
    public void Default_walks_up_from_the_content_root()
    {
        using var directory = new TempDirectory();
        var expected = directory.Write("ocelot.json", "{}");
        var contentRoot = Directory.CreateDirectory(Path.Combine(directory.Path, "gateway", "bin")).FullName;
        var elsewhere = Directory.CreateDirectory(Path.Combine(directory.Path, "elsewhere")).FullName;

        Assert.Equal(expected, OcelotFileLocator.Locate(null, elsewhere, contentRoot));
    }

    [Fact]
    public void Current_directory_wins_over_the_content_root()
    {
        using var directory = new TempDirectory();
        directory.Write("ocelot.json", "{}");
        var current = Directory.CreateDirectory(Path.Combine(directory.Path, "cwd")).FullName;
        var expected = Path.Combine(current, "ocelot.json");
        File.WriteAllText(expected, "{}");

        Assert.Equal(expected, OcelotFileLocator.Locate("", current, directory.Path));
    }

    [Fact]
    public void Not_found_names_every_place_it_looked()
    {
        using var directory = new TempDirectory();
        var contentRoot = Directory.CreateDirectory(Path.Combine(directory.Path, "app")).FullName;

        var exception = Assert.Throws<GatewayConfigurationException>(() => OcelotFileLocator.Locate(null, contentRoot, contentRoot));

        Assert.Contains($"looked in: {Path.Combine(contentRoot, "ocelot.json")}, {Path.Combine(directory.Path, "ocelot.json")}, ", exception.Message);
        Assert.Contains("Set Gateway:OcelotFile or pass --ocelot <path>", exception.Message);
    }
}
