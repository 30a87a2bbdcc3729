using System.Text.RegularExpressions;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Reads, merges, builds and validates a configuration. Pure apart from reading files: usable at startup,
/// on reload and from tests.
/// </summary>
public static partial class GatewayConfigurationLoader
{
    [GeneratedRegex(@"^ocelot\.(.+)\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SiblingFileName();

    /// <summary>
    /// The main file followed by the files merged into it. Only a main file named <c>ocelot.json</c> gets
    /// siblings: every <c>ocelot.&lt;name&gt;.json</c> next to it (case-insensitive), in ordinal name order so
    /// the result does not depend on the file system's enumeration order.
    /// </summary>
    public static IReadOnlyList<string> FindFiles(string mainFilePath)
    {
        var main = Path.GetFullPath(mainFilePath);
        if (!string.Equals(Path.GetFileName(main), OcelotFileLocator.DefaultFileName, StringComparison.OrdinalIgnoreCase))
        {
            return [main];
        }

        var directory = Path.GetDirectoryName(main)!;
        var siblings = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json")
                .Where(f => SiblingFileName().IsMatch(Path.GetFileName(f)))
                .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        return [main, .. siblings];
    }

    /// <summary>Loads the main file and its merged siblings.</summary>
    public static ConfigurationUpdateResult Load(string mainFilePath, IReadOnlySet<string> authenticationSchemes)
    {
        var files = new List<(string Path, string Json)>();
        var errors = new List<ConfigurationError>();
        foreach (var path in FindFiles(mainFilePath))
        {
            try
            {
                files.Add((path, File.ReadAllText(path)));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                errors.Add(new ConfigurationError(Path.GetFileName(path), "(file)", "(root)", $"cannot be read: {exception.Message}"));
            }
        }

        return errors.Count > 0 ? new ConfigurationUpdateResult(null, errors, []) : Load(files, authenticationSchemes);
    }

    /// <summary>Loads from file contents already in memory; the first entry is the main file.</summary>
    public static ConfigurationUpdateResult Load(IReadOnlyList<(string Path, string Json)> files, IReadOnlySet<string> authenticationSchemes)
    {
        var errors = new List<ConfigurationError>();
        var warnings = new List<string>();
        var parsed = new List<(string FileName, FileConfiguration Content)>();
        foreach (var (path, json) in files)
        {
            var fileName = Path.GetFileName(path);
            if (FileConfigurationJson.Parse(json, fileName, errors) is { } content)
            {
                parsed.Add((fileName, content));
            }
        }

        if (errors.Count > 0)
        {
            return new ConfigurationUpdateResult(null, errors, warnings);
        }

        var merged = MergedFileConfiguration.Merge(parsed, warnings);
        DeprecationScanner.Scan(parsed, merged, warnings);
        var configuration = GatewayConfigurationFactory.Build(merged, files.Select(f => Path.GetFullPath(f.Path)).ToList(), errors);
        GatewayConfigurationValidator.Validate(merged, configuration, authenticationSchemes, errors);
        return new ConfigurationUpdateResult(errors.Count == 0 ? configuration : null, errors, warnings);
    }
}
