using System.Reflection;
using System.Runtime.Versioning;

namespace MicroDemo.Testing;

/// <summary>Finds the repository and the things tests need from it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);
    private static readonly Lazy<string> ConsulLazy = new(() => InstalledBy("install-consul.sh")[^1]);
    private static readonly Lazy<string> RedisLazy = new(() => InstalledBy("install-redis.sh")[^1]);
    private static readonly Lazy<string[]> ChromiumLazy = new(() => InstalledBy("install-chromium.sh"));

    /// <summary>The folder that holds MicroDemo.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>A real Consul binary, installed by scripts/install-consul.sh when missing.</summary>
    public static string Consul => ConsulLazy.Value;

    /// <summary>A real redis-server binary, installed by scripts/install-redis.sh when missing.</summary>
    public static string RedisServer => RedisLazy.Value;

    /// <summary>A Chromium browser, installed by scripts/install-chromium.sh when missing.</summary>
    public static string Chromium => ChromiumLazy.Value[0];

    /// <summary>The chromedriver of the same version as <see cref="Chromium"/>.</summary>
    public static string ChromeDriver => ChromiumLazy.Value[^1];

    /// <summary>
    /// The build configuration the tests were built with (Debug, Release). Apps started by tests are those
    /// of the same configuration, which the same `dotnet build`/`dotnet test` produced.
    /// </summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The target framework folder name of the tests' own build, e.g. net10.0.</summary>
    public static string TargetFramework { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<TargetFrameworkAttribute>() is { } framework
            ? $"net{new FrameworkName(framework.FrameworkName).Version.ToString(2)}"
            : "net10.0";

    /// <summary>
    /// The built DLL of an app, e.g. <c>AppDll("services/users", "MicroDemo.Users")</c>; a clear error when it
    /// is not built (a test project that starts an app should reference it with ReferenceOutputAssembly=false).
    /// </summary>
    public static string AppDll(string projectDirectory, string assemblyName)
    {
        var dll = Path.Combine(Root, projectDirectory, "bin", Configuration, TargetFramework, assemblyName + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException(
                $"{dll} is not built. Build it with `dotnet build {projectDirectory} -c {Configuration}`, or reference its project " +
                "from the test project with ReferenceOutputAssembly=false so the test build builds it.", dll);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MicroDemo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"MicroDemo.sln not found above {AppContext.BaseDirectory}.");
    }

    // Runs one of the scripts/install-*.sh, which print the installed binaries' paths, one a line. An install from the
    // package archive (Chromium's is the largest) takes a minute or two; ten is the bound.
    private static string[] InstalledBy(string scriptName)
    {
        var result = Command.RunAsync("bash", [Path.Combine(Root, "scripts", scriptName)], TimeSpan.FromMinutes(10)).GetAwaiter().GetResult();
        var paths = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!result.Succeeded || paths.Length == 0 || !paths.All(File.Exists))
        {
            throw new InvalidOperationException($"scripts/{scriptName} failed: {result}");
        }

        return paths;
    }
}
