using System.Text.Json;
using System.Text.Json.Nodes;

namespace MicroDemo.Gateway.Tests.Policies;

/// <summary>Builds the ocelot.json documents the policy tests run the gateway with.</summary>
internal static class OcelotJson
{
    /// <summary>
    /// A route from <c>{prefix}/{everything}</c> to <c>/{everything}</c> on 127.0.0.1:<paramref name="port"/>;
    /// the members of <paramref name="options"/> (an anonymous object in ocelot.json's shape) are added to it.
    /// </summary>
    public static JsonObject Route(string prefix, int port, object? options = null)
    {
        var route = new JsonObject
        {
            ["UpstreamPathTemplate"] = prefix + "/{everything}",
            ["DownstreamPathTemplate"] = "/{everything}",
            ["DownstreamScheme"] = "http",
            ["DownstreamHostAndPorts"] = new JsonArray(new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = port }),
        };
        if (options is not null)
        {
            foreach (var (name, value) in JsonSerializer.SerializeToNode(options)!.AsObject())
            {
                route[name] = value?.DeepClone();
            }
        }

        return route;
    }

    /// <summary>The name the gateway gives a route built by <see cref="Route"/> (its upstream template).</summary>
    public static string RouteName(string prefix) => prefix + "/{everything}";

    public static string Document(params JsonObject[] routes) =>
        new JsonObject { ["Routes"] = new JsonArray(routes), ["GlobalConfiguration"] = new JsonObject() }.ToJsonString();
}
