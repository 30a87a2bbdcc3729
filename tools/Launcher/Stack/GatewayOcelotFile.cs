using System.Text.Json;
using System.Text.Json.Nodes;

namespace MicroDemo.Launcher.Stack;

/// <summary>
/// The ocelot.json the gateway runs with: the repository's own, so that editing it reloads the gateway;
/// but when the stack's Consul listens on another port than the file names (MICRODEMO_CONSUL_PORT), a
/// copy in the run folder that differs only in the discovery provider's address.
/// </summary>
internal static class GatewayOcelotFile
{
    public static string Source(StackSettings stack) => Path.Combine(stack.RepoRoot, "ocelot.json");

    public static string PathFor(StackSettings stack) =>
        NeedsCopy(stack, out _) ? Path.Combine(stack.RunDirectory, "ocelot.json") : Source(stack);

    /// <summary>Writes the copy when one is needed; returns the path the gateway should read.</summary>
    public static string Prepare(StackSettings stack)
    {
        if (!NeedsCopy(stack, out var document))
        {
            return Source(stack);
        }

        var provider = document!["GlobalConfiguration"]!["ServiceDiscoveryProvider"]!;
        provider["Host"] = "127.0.0.1";
        provider["Port"] = stack.Ports.Consul.Port;
        var copy = PathFor(stack);
        Directory.CreateDirectory(stack.RunDirectory);
        File.WriteAllText(copy, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return copy;
    }

    private static bool NeedsCopy(StackSettings stack, out JsonNode? document)
    {
        document = null;
        if (!File.Exists(Source(stack)))
        {
            return false; // the gateway itself reports a missing file, naming where it looked
        }

        document = JsonNode.Parse(
            File.ReadAllText(Source(stack)),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var port = document?["GlobalConfiguration"]?["ServiceDiscoveryProvider"]?["Port"];
        return port is not null && port.GetValue<int>() != stack.Ports.Consul.Port;
    }
}
