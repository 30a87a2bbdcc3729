namespace MicroDemo.Gateway.Configuration;

/// <summary>An entry of a configuration file together with the file and position it came from.</summary>
public sealed record Sourced<T>(T Entry, ConfigurationSite Site);

/// <summary>
/// The main file and its merged <c>ocelot.*.json</c> siblings as one document, each entry remembering
/// where it was written so errors can point at the right file.
/// </summary>
public sealed class MergedFileConfiguration
{
    public required FileConfiguration Document { get; init; }
    public required IReadOnlyList<Sourced<FileRoute>> Routes { get; init; }
    public required IReadOnlyList<Sourced<FileDynamicRoute>> DynamicRoutes { get; init; }
    public required IReadOnlyList<Sourced<FileAggregateRoute>> Aggregates { get; init; }

    /// <summary>Site of the <c>GlobalConfiguration</c> used (its file), even when the section is absent.</summary>
    public required ConfigurationSite GlobalSite { get; init; }

    /// <summary>File names in merge order (main file first).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    public FileGlobalConfiguration Global => Document.GlobalConfiguration ?? new FileGlobalConfiguration();

    /// <summary>
    /// Merges parsed files: routes, dynamic routes and aggregates are concatenated in the given order;
    /// <c>GlobalConfiguration</c> comes from <c>ocelot.global.json</c> when present, else from the main file.
    /// </summary>
    public static MergedFileConfiguration Merge(IReadOnlyList<(string FileName, FileConfiguration Content)> files, ICollection<string> warnings)
    {
        ArgumentOutOfRangeException.ThrowIfZero(files.Count);
        var routes = new List<Sourced<FileRoute>>();
        var dynamicRoutes = new List<Sourced<FileDynamicRoute>>();
        var aggregates = new List<Sourced<FileAggregateRoute>>();
        foreach (var (fileName, content) in files)
        {
            var (routeList, listName) = content.ReRoutes is not null ? (content.ReRoutes, "ReRoutes") : (content.Routes, "Routes");
            for (var i = 0; i < (routeList?.Count ?? 0); i++)
            {
                var route = routeList![i] ?? new FileRoute();
                routes.Add(new(route, new ConfigurationSite(fileName, $"{listName}[{i}] '{route.UpstreamPathTemplate}'")));
            }

            for (var i = 0; i < (content.DynamicRoutes?.Count ?? 0); i++)
            {
                var route = content.DynamicRoutes![i] ?? new FileDynamicRoute();
                dynamicRoutes.Add(new(route, new ConfigurationSite(fileName, $"DynamicRoutes[{i}] '{route.ServiceName}'")));
            }

            for (var i = 0; i < (content.Aggregates?.Count ?? 0); i++)
            {
                var aggregate = content.Aggregates![i] ?? new FileAggregateRoute();
                aggregates.Add(new(aggregate, new ConfigurationSite(fileName, $"Aggregates[{i}] '{aggregate.UpstreamPathTemplate}'")));
            }
        }

        var (mainName, main) = files[0];
        var globalFile = files.Skip(1).FirstOrDefault(f => string.Equals(f.FileName, "ocelot.global.json", StringComparison.OrdinalIgnoreCase));
        var (globalName, global) = (mainName, main.GlobalConfiguration);
        if (globalFile.Content is not null)
        {
            if (main.GlobalConfiguration is not null)
            {
                warnings.Add($"{mainName}: GlobalConfiguration: ignored because {globalFile.FileName} provides the GlobalConfiguration.");
            }

            (globalName, global) = (globalFile.FileName, globalFile.Content.GlobalConfiguration);
        }

        foreach (var (fileName, content) in files.Skip(1))
        {
            if (content.GlobalConfiguration is not null && !string.Equals(fileName, globalName, StringComparison.Ordinal))
            {
                warnings.Add($"{fileName}: GlobalConfiguration: ignored; only {mainName} or ocelot.global.json may hold it.");
            }
        }

        var document = files.Count == 1
            ? main
            : new FileConfiguration
            {
                Routes = routes.Select(r => r.Entry).ToList(),
                DynamicRoutes = dynamicRoutes.Select(r => r.Entry).ToList(),
                Aggregates = aggregates.Select(a => a.Entry).ToList(),
                GlobalConfiguration = global,
            };

        return new MergedFileConfiguration
        {
            Document = document,
            Routes = routes,
            DynamicRoutes = dynamicRoutes,
            Aggregates = aggregates,
            GlobalSite = ConfigurationSite.Global(globalName),
            Files = files.Select(f => f.FileName).ToList(),
        };
    }
}
