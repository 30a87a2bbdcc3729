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
/// docker-compose.yml and the Dockerfiles, read: what they reference exists, the settings they pass are ones the
/// apps read, the start order waits for health. Mistakes show here in a second, with the key that is wrong,
/// before <see cref="ComposeWalkthroughTests"/> runs the stack for real.
/// </summary>
public sealed partial class ComposeFileTests
{
    private const string ComposeConsulHost = "consul";
    private const string AppDockerfile = "deploy/app.Dockerfile";

    private static readonly ComposeFile Compose = ComposeFile.Repository;

    public static TheoryData<string> AllServices() => new(Compose.Services.Keys);

    public static TheoryData<string> BuiltServices() => new(Compose.BuiltServices);

    [Fact]
    public void Every_app_of_the_repository_is_built_from_the_one_app_dockerfile()
    {
        Assert.All(Compose.BuiltServices, service => Assert.Equal(AppDockerfile, Dockerfile(service).Dockerfile));
        Assert.Equal(
            ["gateway", "services/hello", "services/identity", "services/orders", "services/users"],
            Compose.BuiltServices.Select(service => Compose.BuildArgs(service)["APP_DIR"]).Order(StringComparer.Ordinal));
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
        var instructions = Instructions(Path.Combine(RepoPaths.Root, context, dockerfile), Compose.BuildArgs(service));

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
        var instructions = Instructions(Path.Combine(RepoPaths.Root, context, dockerfile), Compose.BuildArgs(service));
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

    /// <summary>Every app's environment: the built services of docker-compose.yml, and what docker-compose.scale.yml adds to the gateway.</summary>
    public static TheoryData<string, string> AppEnvironments()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in Compose.BuiltServices)
        {
            data.Add(ComposeFile.FileName, service);
        }

        data.Add(ComposeFile.ScaleFileName, "gateway");
        return data;
    }

    [Theory]
    [MemberData(nameof(AppEnvironments))]
    public void Environment_names_only_settings_the_apps_read(string file, string service)
    {
        var known = typeof(SettingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => SettingNames.ToEnvironmentVariable((string)f.GetRawConstantValue()!))
            .ToHashSet(StringComparer.Ordinal);
        var compose = file == ComposeFile.FileName ? Compose : ComposeFile.Scale;

        // A list setting's items (…__TrustedProxies__0) are the list's name with an index.
        var unknown = compose.Environment(service).Keys
            .Where(name => !known.Contains(ListIndex().Replace(name, "")) && name is not ("ASPNETCORE_URLS" or "ASPNETCORE_ENVIRONMENT") && !name.StartsWith("DOTNET_", StringComparison.Ordinal))
            .ToList();

        Assert.True(unknown.Count == 0,
            $"{file}: services.{service}.environment sets {string.Join(", ", unknown)}, which no app reads: use the names of services/ServiceDefaults/SettingNames.cs "
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
        Assert.Equal(["consul"], DependsOn("identity"));
        Assert.Equal(["consul"], DependsOn("users"));
        Assert.Equal(["identity", "users"], DependsOn("orders"));
        Assert.Equal(["orders"], DependsOn("gateway"));
        Assert.Equal(["consul"], DependsOn("hello"));
    }

    [Fact]
    public void Orders_is_one_service_of_two_replicas_that_each_register_their_own_container()
    {
        var environment = Compose.Environment("orders");
        var deploy = Assert.IsType<YamlMappingNode>(Compose.Child("orders", "deploy"), exactMatch: false);

        Assert.Equal("2", ComposeFile.Scalar(deploy.Children[new YamlScalarNode("replicas")]));
        Assert.Equal("orders", environment[SettingNames.ToEnvironmentVariable(SettingNames.ServiceName)]);
        Assert.Equal("true", environment[SettingNames.ToEnvironmentVariable(SettingNames.ServiceUseHostAddress)]);
        Assert.False(environment.ContainsKey(SettingNames.ToEnvironmentVariable(SettingNames.ServiceAddress)),
            "services.orders.environment: with Service__UseHostAddress every replica registers its own container; a Service__Address would be one address for all.");
        Assert.Equal([(0, 8080)], Compose.PublishedPorts("orders"));
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void App_registers_the_address_and_port_other_containers_dial(string service)
    {
        var environment = Compose.Environment(service);

        if (service != "orders")
        {
            Assert.Equal(service, environment[SettingNames.ToEnvironmentVariable(SettingNames.ServiceAddress)]);
        }

        Assert.Equal("8080", environment[SettingNames.ToEnvironmentVariable(SettingNames.ServicePort)]);
        Assert.Equal("http://consul:8500", environment[SettingNames.ToEnvironmentVariable(SettingNames.ConsulUrl)]);
    }

    [Fact]
    public void Gateway_reads_the_repository_ocelot_json_from_the_mounted_repository_folder()
    {
        var ocelotFile = Compose.Environment("gateway")[SettingNames.ToEnvironmentVariable(SettingNames.GatewayOcelotFile)];
        var mount = Assert.Single(Compose.Volumes("gateway"), v => v.Target == Path.GetDirectoryName(ocelotFile));

        Assert.Equal("ocelot.json", Path.GetFileName(ocelotFile));
        Assert.Equal("./", mount.Source);
        Assert.Equal("ro", mount.Mode);
        Assert.False(Directory.Exists(Path.Combine(RepoPaths.Root, "deploy", "compose")), "One ocelot.json: deploy/compose/ must not come back.");
    }

    [Fact]
    public void Gateway_overrides_only_the_consul_host_of_the_repository_ocelot_json()
    {
        var root = ReadJson("ocelot.json");
        var environment = Compose.Environment("gateway");

        Assert.NotNull(root["GlobalConfiguration"]?["ServiceDiscoveryProvider"]?["Host"]);
        Assert.Equal(ComposeConsulHost, environment[SettingNames.ToEnvironmentVariable(SettingNames.GatewayServiceDiscoveryHost)]);
        Assert.False(environment.ContainsKey(SettingNames.ToEnvironmentVariable(SettingNames.GatewayServiceDiscoveryPort)),
            "Consul listens on the port ocelot.json names (8500) in its container too.");
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Base_images_are_build_arguments_that_default_to_the_official_images(string service)
    {
        var (context, dockerfile) = Dockerfile(service);
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, context, dockerfile));
        var args = Compose.BuildArgs(service);

        foreach (var (name, official) in new[] { ("SDK_IMAGE", "mcr.microsoft.com/dotnet/sdk:10.0"), ("RUNTIME_IMAGE", "mcr.microsoft.com/dotnet/aspnet:10.0-alpine") })
        {
            Assert.Contains($"ARG {name}={official}", text, StringComparison.Ordinal);
            Assert.Contains($"FROM ${{{name}}}", text, StringComparison.Ordinal);
            Assert.Equal(official, ComposeFile.WithDefaults(args[name]));
        }
    }

    [Fact]
    public void Consul_image_is_a_variable_that_defaults_to_the_official_image()
    {
        var image = ComposeFile.Scalar(Compose.Child("consul", "image")!);

        Assert.StartsWith("${MICRODEMO_CONSUL_IMAGE:-", image, StringComparison.Ordinal);
        Assert.StartsWith("hashicorp/consul:", ComposeFile.WithDefaults(image), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gateway", "MICRODEMO_GATEWAY_PORT")]
    [InlineData("consul", "MICRODEMO_CONSUL_PORT")]
    [InlineData("identity", "MICRODEMO_IDENTITY_PORT")]
    [InlineData("users", "MICRODEMO_USERS_PORT")]
    public void Published_port_moves_with_the_variable_demo_reads(string service, string variable)
    {
        var entry = ComposeFile.Scalar(Assert.Single(((YamlSequenceNode)Compose.Child(service, "ports")!).Children));

        Assert.Contains($"${{{variable}:-", entry, StringComparison.Ordinal);
        Assert.Contains(variable, File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), StringComparison.Ordinal);
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

    /// <summary>Instructions without comments, continuation lines joined, <c>${ARG}</c> replaced by the build arguments compose passes.</summary>
    private static List<string> Instructions(string dockerfile, IReadOnlyDictionary<string, string> buildArgs) =>
        Regex.Replace(buildArgs.Aggregate(File.ReadAllText(dockerfile), (text, arg) => text.Replace($"${{{arg.Key}}}", arg.Value, StringComparison.Ordinal)), @"\\\r?\n", " ")
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

    [GeneratedRegex(@"dotnet\s+(?<command>restore|publish)\s+(?<project>\S+\.csproj)")]
    private static partial Regex DotnetProjectCommand();

    [GeneratedRegex(@"__[0-9]+$")]
    private static partial Regex ListIndex();
}
