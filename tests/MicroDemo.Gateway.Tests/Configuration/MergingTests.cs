using MicroDemo.Gateway.Configuration;
using static MicroDemo.Gateway.Tests.Configuration.ConfigurationTestData;

namespace MicroDemo.Gateway.Tests.Configuration;

public sealed class MergingTests
{
    private static readonly HashSet<string> NoSchemes = [];

    [Fact]
    public void Siblings_are_merged_in_ordinal_name_order_and_global_comes_from_ocelot_global_json()
    {
        using var directory = new TempDirectory();
        var main = directory.Write("ocelot.json", Document(Route("/main"), "\"RequestIdKey\": \"X-Main\""));
        directory.Write("ocelot.users.json", $$"""{ "Routes": [ {{Route("/users")}} ] }""");
        directory.Write("ocelot.B.json", $$"""{ "Routes": [ {{Route("/b")}} ] }""");
        directory.Write("OCELOT.global.json", """{ "GlobalConfiguration": { "RequestIdKey": "X-Global" } }""");
        directory.Write("other.json", $$"""{ "Routes": [ {{Route("/ignored")}} ] }""");

        var result = GatewayConfigurationLoader.Load(main, NoSchemes);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        var configuration = result.Configuration!;
        Assert.Equal(["/main", "/b", "/users"], configuration.Routes.Select(r => r.UpstreamPathTemplate));
        Assert.Equal(["ocelot.json", "OCELOT.global.json", "ocelot.B.json", "ocelot.users.json"], configuration.Files.Select(Path.GetFileName));
        Assert.All(configuration.Routes, r => Assert.Equal("X-Global", r.RequestIdKey));
        Assert.Equal("ocelot.users.json", configuration.Routes[2].Site.File);
        Assert.Equal(3, configuration.Source.Routes!.Count);
        Assert.Equal(
            ["ocelot.json: GlobalConfiguration: ignored because OCELOT.global.json provides the GlobalConfiguration."],
            result.Warnings);
    }

    [Fact]
    public void Errors_name_the_file_they_came_from_and_files_are_never_rewritten()
    {
        using var directory = new TempDirectory();
        var mainJson = Document(Route("/dup"));
        var main = directory.Write("ocelot.json", mainJson);
        directory.Write("ocelot.extra.json", $$"""{ "Routes": [ {{Route("/dup")}}, { "UpstreamPathTemplate": "/x", "DownstreamPathTemplate": "y", {{Hosts}} } ] }""");

        var result = GatewayConfigurationLoader.Load(main, NoSchemes);

        Assert.Equal(
            [
                "ocelot.extra.json: Routes[0] '/dup': UpstreamPathTemplate: duplicates Routes[0] '/dup' in ocelot.json: same template, UpstreamHost and header templates with overlapping UpstreamHttpMethod",
                "ocelot.extra.json: Routes[1] '/x': DownstreamPathTemplate: 'y' does not start with a forward slash '/'",
            ],
            result.Errors.Select(e => e.ToString()));
        Assert.Equal(mainJson, File.ReadAllText(main));
    }

    [Fact]
    public void Syntax_errors_in_several_files_are_all_reported()
    {
        using var directory = new TempDirectory();
        var main = directory.Write("ocelot.json", "{ \"Routes\": [ }");
        directory.Write("ocelot.a.json", "{ \"Routes\": 5 }");

        var errors = GatewayConfigurationLoader.Load(main, NoSchemes).Errors;

        Assert.Equal(["ocelot.json", "ocelot.a.json"], errors.Select(e => e.File));
    }

    [Fact]
    public void A_main_file_with_another_name_is_not_merged()
    {
        using var directory = new TempDirectory();
        var main = directory.Write("gateway.json", Document(Route("/main")));
        directory.Write("ocelot.users.json", $$"""{ "Routes": [ {{Route("/users")}} ] }""");

        Assert.Equal([main], GatewayConfigurationLoader.FindFiles(main));
    }
}
