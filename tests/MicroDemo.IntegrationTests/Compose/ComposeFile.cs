using System.Globalization;
using System.Text.RegularExpressions;
using MicroDemo.Testing;
using YamlDotNet.RepresentationModel;

namespace MicroDemo.IntegrationTests.Compose;

/// <summary>The repository's docker-compose.yml (or its scale-out layer), read with YamlDotNet (anchors and aliases resolved).</summary>
public sealed partial class ComposeFile
{
    public const string FileName = "docker-compose.yml";

    public const string ScaleFileName = "docker-compose.scale.yml";

    private static readonly Lazy<ComposeFile> Instance = new(() => Load(Path.Combine(RepoPaths.Root, FileName)));

    private static readonly Lazy<ComposeFile> ScaleInstance = new(() => Load(Path.Combine(RepoPaths.Root, ScaleFileName)));

    private ComposeFile(YamlMappingNode root, IReadOnlyDictionary<string, YamlMappingNode> services) => (Root, Services) = (root, services);

    public static ComposeFile Repository => Instance.Value;

    /// <summary>docker-compose.scale.yml: only what it adds to or changes in <see cref="Repository"/>.</summary>
    public static ComposeFile Scale => ScaleInstance.Value;

    public YamlMappingNode Root { get; }

    public IReadOnlyDictionary<string, YamlMappingNode> Services { get; }

    /// <summary>Services compose builds from this repository, i.e. MicroDemo's own apps.</summary>
    public IEnumerable<string> BuiltServices => Services.Where(s => s.Value.Children.ContainsKey("build")).Select(s => s.Key);

    public static ComposeFile Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        return new ComposeFile(root, services.Children.ToDictionary(
            entry => ((YamlScalarNode)entry.Key).Value!,
            entry => (YamlMappingNode)entry.Value,
            StringComparer.Ordinal));
    }

    /// <summary>The service's environment, from either the map or the <c>- KEY=value</c> list form.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        if (Child(service, "environment") is not { } node)
        {
            return new Dictionary<string, string>();
        }

        return node switch
        {
            YamlMappingNode map => map.Children.ToDictionary(e => Scalar(e.Key), e => Scalar(e.Value), StringComparer.Ordinal),
            YamlSequenceNode list => list.Children.Select(Scalar).Select(item => item.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "", StringComparer.Ordinal),
            _ => throw new InvalidDataException($"{FileName}: services.{service}.environment is neither a map nor a list."),
        };
    }

    /// <summary>
    /// Host port → container port of the short <c>[ip:]host:container</c> port syntax, with variables at their
    /// defaults; host port 0 where Docker picks one (<c>127.0.0.1::8080</c>).
    /// </summary>
    public IReadOnlyList<(int Host, int Container)> PublishedPorts(string service) =>
        (Child(service, "ports") as YamlSequenceNode)?.Children
            .Select(node => WithDefaults(Scalar(node)))
            .Select(text => text.Split(':'))
            .Select(parts => (parts[^2].Length == 0 ? 0 : int.Parse(parts[^2], CultureInfo.InvariantCulture), int.Parse(parts[^1], CultureInfo.InvariantCulture)))
            .ToList()
        ?? [];

    /// <summary>A value as compose reads it when no variable is set: <c>${NAME:-default}</c> becomes <c>default</c>.</summary>
    public static string WithDefaults(string value) => Variable().Replace(value, match => match.Groups["default"].Value);

    /// <summary>The short <c>source:target[:mode]</c> volume entries of a service, variables at their defaults (mode "" when absent).</summary>
    public IReadOnlyList<(string Source, string Target, string Mode)> Volumes(string service) =>
        (Child(service, "volumes") as YamlSequenceNode)?.Children
            .Select(node => WithDefaults(Scalar(node)))
            .Select(text => text.Split(':'))
            .Select(parts => (parts[0], parts[1], parts.Length > 2 ? parts[2] : ""))
            .ToList()
        ?? [];

    /// <summary>A service's <c>build.args</c>, with YAML merge keys (<c>&lt;&lt;: *anchor</c>) merged in as compose does.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs(string service)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(service, "build") is YamlMappingNode build && build.Children.TryGetValue(new YamlScalarNode("args"), out var node) && node is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children.Where(e => Scalar(e.Key) != "<<"))
            {
                args[Scalar(key)] = Scalar(value);
            }

            foreach (var merged in map.Children.Where(e => Scalar(e.Key) == "<<").Select(e => e.Value).OfType<YamlMappingNode>())
            {
                foreach (var (key, value) in merged.Children)
                {
                    args.TryAdd(Scalar(key), Scalar(value));
                }
            }
        }

        return args;
    }

    public YamlNode? Child(string service, string key) =>
        Services[service].Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static string Scalar(YamlNode node) =>
        node is YamlScalarNode { Value: { } value } ? value : throw new InvalidDataException($"{FileName}: expected a scalar at {node.Start}.");

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
