using MicroDemo.Gateway.Configuration;

namespace MicroDemo.Gateway.Tests.Configuration;

internal static class ConfigurationTestData
{
    public const string Hosts = """ "DownstreamHostAndPorts": [ { "Host": "localhost", "Port": 5001 } ] """;

    /// <summary>A valid route with <paramref name="extra"/> JSON members appended.</summary>
    public static string Route(string template = "/a", string extra = "") =>
        $$"""{ "UpstreamPathTemplate": "{{template}}", "DownstreamPathTemplate": "/b", {{Hosts}} {{(extra.Length > 0 ? "," + extra : "")}} }""";

    public static string Document(string routes = "", string global = "", string extra = "") =>
        $$"""{ "Routes": [ {{routes}} ], "GlobalConfiguration": { {{global}} } {{(extra.Length > 0 ? "," + extra : "")}} }""";

    public static ConfigurationUpdateResult Load(string json, params string[] schemes) =>
        GatewayConfigurationLoader.Load([("ocelot.json", json)], schemes.ToHashSet(StringComparer.Ordinal));

    public static GatewayConfiguration LoadValid(string json, params string[] schemes)
    {
        var result = Load(json, schemes);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Configuration!;
    }

    public static GatewayRoute SingleRoute(string routeExtra, string global = "", params string[] schemes) =>
        Assert.Single(LoadValid(Document(Route(extra: routeExtra), global), schemes).Routes);

    public static IReadOnlyList<string> Errors(string json, params string[] schemes) =>
        Load(json, schemes).Errors.Select(e => e.ToString()).ToList();
}
