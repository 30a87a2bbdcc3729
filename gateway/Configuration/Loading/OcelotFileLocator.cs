namespace MicroDemo.Gateway.Configuration;

/// <summary>Finds the main configuration file.</summary>
public static class OcelotFileLocator
{
    public const string DefaultFileName = "ocelot.json";
    public const string PathSetting = "Gateway:OcelotFile";

    /// <summary>
    /// <paramref name="configuredPath"/> when set (relative to the current directory); otherwise
    /// <c>ocelot.json</c> in the current directory, then in the content root and each of its parents, so
    /// <c>dotnet run --project gateway</c> from the repository finds the repository-root file.
    /// </summary>
    /// <exception cref="GatewayConfigurationException">No file was found; the message lists where it looked.</exception>
    public static string Locate(string? configuredPath, string currentDirectory, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            var path = Path.GetFullPath(configuredPath, currentDirectory);
            return File.Exists(path)
                ? path
                : throw NotFound(Path.GetFileName(path), $"the file '{path}' does not exist");
        }

        var candidates = new List<string> { Path.Combine(Path.GetFullPath(currentDirectory), DefaultFileName) };
        for (var directory = new DirectoryInfo(Path.GetFullPath(contentRoot)); directory is not null; directory = directory.Parent)
        {
            candidates.Add(Path.Combine(directory.FullName, DefaultFileName));
        }

        candidates = candidates.Distinct(StringComparer.Ordinal).ToList();
        return candidates.FirstOrDefault(File.Exists)
            ?? throw NotFound(DefaultFileName, $"no {DefaultFileName} found; looked in: {string.Join(", ", candidates)}. Set {PathSetting} or pass --ocelot <path>");
    }

    private static GatewayConfigurationException NotFound(string file, string reason) =>
        new([new ConfigurationError(file, "(startup)", PathSetting, reason)]);
}
