using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;
using YamlDotNet.RepresentationModel;

namespace MicroDemo.IntegrationTests.Compose;

/// <summary>
/// No Docker engine runs where the tests run, so docker-compose.yml and the Dockerfiles are checked by reading
/// them: what they reference exists, the settings they pass are ones the apps read, and the start order waits
/// for health.
/// </summary>
public sealed partial class ComposeFileTests
{
    private const string ComposeOcelotFile = "deploy/compose/ocelot.json";
    private const string ComposeConsulHost = "consul";

    private static readonly ComposeFile Compose = ComposeFile.Repository;

    public static TheoryData<string> AllServices() => new(Compose.Services.Keys);

    public static TheoryData<string> BuiltServices() => new(Compose.BuiltServices);

    [Fact]
    public void Every_app_of_the_repository_is_built()
    {
        var dockerfiles = Compose.BuiltServices.Select(s => Dockerfile(s).Dockerfile).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(
            ["gateway/Dockerfile", "services/identity/Dockerfile", "services/orders/Dockerfile", "services/users/Dockerfile"],
            dockerfiles.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Build_context_and_dockerfile_exist(string service)
    {
        var (context, dockerfile) = Dockerfile(service);

        Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, context)), $"services.{service}.build.context '{context}' does not exist.");
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, context, dockerfile)), $"services.{service}.build.dockerfile '{dockerfile}' does not exist in '{context}'.");
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Dockerfile_copies_only_existing_paths_and_publishes_an_existing_project(string service)
    {
        var (context, dockerfile) = Dockerfile(service);
        var instructions = Instructions(Path.Combine(RepoPaths.Root, context, dockerfile));

        var missing = CopySources(instructions).Where(source => !File.Exists(InContext(context, source)) && !Directory.Exists(InContext(context, source)));
        Assert.Empty(missing);

        var projects = instructions.SelectMany(i => DotnetProjectCommand().Matches(i).Select(m => (Command: m.Groups["command"].Value, Project: m.Groups["project"].Value))).ToList();
        Assert.Contains(projects, p => p.Command == "restore");
        Assert.Contains(projects, p => p.Command == "publish");
        Assert.All(projects, p => Assert.True(File.Exists(InContext(context, p.Project)), $"{dockerfile}: dotnet {p.Command} {p.Project}: the project does not exist."));
        Assert.Single(projects.Select(p => p.Project).Distinct());
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Dockerfile_restores_with_every_referenced_project_file_and_copies_their_sources(string service)
    {
        var (context, dockerfile) = Dockerfile(service);
        var instructions = Instructions(Path.Combine(RepoPaths.Root, context, dockerfile));
        var restoreIndex = instructions.FindIndex(i => i.Contains("dotnet restore", StringComparison.Ordinal));
        var project = DotnetProjectCommand().Match(instructions[restoreIndex]).Groups["project"].Value;
        var copiedBeforeRestore = CopySources(instructions.Take(restoreIndex)).Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var copied = CopySources(instructions).Select(Normalize).ToHashSet(StringComparer.Ordinal);

        foreach (var needed in ProjectClosure(Path.GetFullPath(InContext(context, project))).Select(p => Path.GetRelativePath(Path.Combine(RepoPaths.Root, context), p).Replace('\\', '/')))
        {
            // The restore layer sees only what was copied before it: a missing project file fails the image build.
            Assert.True(copiedBeforeRestore.Contains(needed), $"{dockerfile}: COPY {needed} before 'dotnet restore' (it is referenced by {project}).");
            Assert.True(copied.Contains(Path.GetDirectoryName(needed)!.Replace('\\', '/')), $"{dockerfile}: COPY {Path.GetDirectoryName(needed)}/ (the sources of {needed}).");
        }

        foreach (var buildFile in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.True(copiedBeforeRestore.Contains(buildFile), $"{dockerfile}: COPY {buildFile} before 'dotnet restore': it decides the SDK, build settings or package versions.");
        }
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Environment_names_only_settings_the_apps_read(string service)
    {
        var known = typeof(SettingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => SettingNames.ToEnvironmentVariable((string)f.GetRawConstantValue()!))
            .ToHashSet(StringComparer.Ordinal);

        var unknown = Compose.Environment(service).Keys
            .Where(name => !known.Contains(name) && name is not ("ASPNETCORE_URLS" or "ASPNETCORE_ENVIRONMENT") && !name.StartsWith("DOTNET_", StringComparison.Ordinal))
            .ToList();

        Assert.True(unknown.Count == 0,
            $"services.{service}.environment sets {string.Join(", ", unknown)}, which no app reads: use the names of services/ServiceDefaults/SettingNames.cs "
            + $"({string.Join(", ", known.Order(StringComparer.Ordinal))}) or a well-known ASP.NET Core/.NET variable.");
    }

    [Theory]
    [MemberData(nameof(AllServices))]
    public void Service_has_a_healthcheck(string service)
    {
        var healthcheck = Assert.IsType<YamlMappingNode>(Compose.Child(service, "healthcheck"), exactMatch: false);
        var test = Assert.IsType<YamlSequenceNode>(healthcheck.Children[new YamlScalarNode("test")], exactMatch: false);

        Assert.Contains(ComposeFile.Scalar(test.Children[0]), new[] { "CMD", "CMD-SHELL" });
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void App_healthcheck_asks_the_readiness_endpoint_on_the_container_port(string service)
    {
        var healthcheck = (YamlMappingNode)Compose.Child(service, "healthcheck")!;
        var command = string.Join(' ', ((YamlSequenceNode)healthcheck.Children[new YamlScalarNode("test")]).Children.Select(ComposeFile.Scalar));

        Assert.Contains("http://127.0.0.1:8080/health/ready", command, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllServices))]
    public void Dependencies_wait_until_healthy(string service)
    {
        if (Compose.Child(service, "depends_on") is not { } dependsOn)
        {
            return;
        }

        // The list form only waits for the container to start, before the app can answer.
        var dependencies = Assert.IsType<YamlMappingNode>(dependsOn, exactMatch: false);
        foreach (var (name, options) in dependencies.Children)
        {
            Assert.True(Compose.Services.ContainsKey(ComposeFile.Scalar(name)), $"services.{service}.depends_on names an unknown service '{name}'.");
            var condition = ((YamlMappingNode)options).Children.TryGetValue(new YamlScalarNode("condition"), out var value) ? ComposeFile.Scalar(value) : "(none)";
            Assert.True(condition == "service_healthy", $"services.{service}.depends_on.{name}.condition is '{condition}'; use service_healthy.");
        }
    }

    [Fact]
    public void Start_order_is_consul_then_identity_and_users_then_orders_then_gateway()
    {
        string[] orders = ["orders-1", "orders-2"];

        Assert.Equal(["consul"], DependsOn("identity"));
        Assert.Equal(["consul"], DependsOn("users"));
        Assert.All(orders, o => Assert.Equal(["identity", "users"], DependsOn(o)));
        Assert.Equal(orders, DependsOn("gateway"));
    }

    [Fact]
    public void Orders_replicas_register_distinct_addresses_under_one_name()
    {
        var replicas = new[] { "orders-1", "orders-2" }.Select(Compose.Environment).ToList();

        Assert.All(replicas, env => Assert.Equal("orders", env[SettingNames.ToEnvironmentVariable(SettingNames.ServiceName)]));
        Assert.Equal(["orders-1", "orders-2"], replicas.Select(env => env[SettingNames.ToEnvironmentVariable(SettingNames.ServiceAddress)]));
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void App_registers_the_address_and_port_other_containers_dial(string service)
    {
        var environment = Compose.Environment(service);

        Assert.Equal(service, environment[SettingNames.ToEnvironmentVariable(SettingNames.ServiceAddress)]);
        Assert.Equal("8080", environment[SettingNames.ToEnvironmentVariable(SettingNames.ServicePort)]);
        Assert.Equal("http://consul:8500", environment[SettingNames.ToEnvironmentVariable(SettingNames.ConsulUrl)]);
    }

    [Fact]
    public void Gateway_reads_the_compose_ocelot_file_from_a_mounted_folder()
    {
        var ocelotFile = Compose.Environment("gateway")[SettingNames.ToEnvironmentVariable(SettingNames.GatewayOcelotFile)];
        var mount = Assert.Single(Compose.Volumes("gateway"), v => v.Target == Path.GetDirectoryName(ocelotFile));

        Assert.Equal(ComposeOcelotFile, Path.Combine(mount.Source, Path.GetFileName(ocelotFile)).TrimStart('.', '/'));
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, ComposeOcelotFile)));
    }

    [Fact]
    public void Compose_ocelot_file_differs_from_the_root_one_only_in_the_consul_host()
    {
        var root = ReadJson("ocelot.json");
        var compose = ReadJson(ComposeOcelotFile);

        var rootHost = RemoveDiscoveryHost(root);
        var composeHost = RemoveDiscoveryHost(compose);

        Assert.Equal(Indented(root), Indented(compose));
        if (rootHost is not null)
        {
            Assert.True(composeHost == ComposeConsulHost,
                $"{ComposeOcelotFile}: GlobalConfiguration.ServiceDiscoveryProvider.Host must be \"{ComposeConsulHost}\" (the compose service), got \"{composeHost}\".");
        }
    }

    [Theory]
    [InlineData("gateway", 5000, 8080)]
    [InlineData("consul", 8500, 8500)]
    public void Published_port_matches_the_readme_ports_table(string service, int hostPort, int containerPort)
    {
        Assert.Contains((hostPort, containerPort), Compose.PublishedPorts(service));

        var readme = Path.Combine(RepoPaths.Root, "README.md");
        var rows = File.Exists(readme) ? File.ReadLines(readme).Where(line => line.TrimStart().StartsWith('|')) : [];
        Assert.True(
            rows.Any(row => row.Contains(service, StringComparison.OrdinalIgnoreCase) && Regex.IsMatch(row, $@"\b{hostPort}\b")),
            $"README.md must have a ports table row naming '{service}' with port {hostPort} (e.g. '| {service} | {hostPort} |'), as docker-compose.yml publishes {hostPort}:{containerPort}.");
    }

    [Fact]
    public void Ports_are_published_on_loopback_only()
    {
        var entries = Compose.Services.Keys.SelectMany(s => ((Compose.Child(s, "ports") as YamlSequenceNode)?.Children ?? []).Select(p => (Service: s, Entry: ComposeFile.Scalar(p))));

        Assert.All(entries, e => Assert.True(e.Entry.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"services.{e.Service}.ports '{e.Entry}' should bind 127.0.0.1: the demo secrets are public."));
    }

    private static (string Context, string Dockerfile) Dockerfile(string service)
    {
        var build = (YamlMappingNode)Compose.Child(service, "build")!;
        var context = build.Children.TryGetValue(new YamlScalarNode("context"), out var c) ? ComposeFile.Scalar(c) : ".";
        var dockerfile = build.Children.TryGetValue(new YamlScalarNode("dockerfile"), out var d) ? ComposeFile.Scalar(d) : "Dockerfile";
        return (context, dockerfile);
    }

    private static IReadOnlyList<string> DependsOn(string service) =>
        Compose.Child(service, "depends_on") is YamlMappingNode map ? map.Children.Keys.Select(ComposeFile.Scalar).Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>Instructions without comments, continuation lines joined.</summary>
    private static List<string> Instructions(string dockerfile) =>
        Regex.Replace(File.ReadAllText(dockerfile), @"\\\r?\n", " ")
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();

    /// <summary>Sources of COPY instructions that read the build context (not <c>--from</c> another stage).</summary>
    private static IEnumerable<string> CopySources(IEnumerable<string> instructions) =>
        instructions
            .Select(i => i.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words[0].Equals("COPY", StringComparison.OrdinalIgnoreCase) && !words.Any(w => w.StartsWith("--from", StringComparison.Ordinal)))
            .SelectMany(words => words.Skip(1).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1));

    /// <summary>The project and every project it references, directly or not.</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include")).OfType<string>())
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Replace('\\', '/'))));
            }
        }

        return seen;
    }

    private static string InContext(string context, string path) => Path.Combine(RepoPaths.Root, context, path);

    private static string Normalize(string path) => path.TrimEnd('/');

    private static JsonNode ReadJson(string relativePath) =>
        JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepoPaths.Root, relativePath)),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
        ?? throw new InvalidDataException($"{relativePath} is empty.");

    /// <summary>Takes <c>GlobalConfiguration.ServiceDiscoveryProvider.Host</c> out of the document and returns it.</summary>
    private static string? RemoveDiscoveryHost(JsonNode document)
    {
        if (document["GlobalConfiguration"]?["ServiceDiscoveryProvider"] is not JsonObject provider || !provider.TryGetPropertyValue("Host", out var host))
        {
            return null;
        }

        provider.Remove("Host");
        return host?.GetValue<string>();
    }

    private static string Indented(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    [GeneratedRegex(@"dotnet\s+(?<command>restore|publish)\s+(?<project>\S+\.csproj)")]
    private static partial Regex DotnetProjectCommand();
}
