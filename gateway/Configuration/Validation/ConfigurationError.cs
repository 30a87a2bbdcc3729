namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// One problem found in the configuration. <paramref name="Location"/> names the entry, e.g.
/// <c>Routes[2] '/api/users/{id}'</c>, <c>Aggregates[0] '/dashboard'</c>, <c>DynamicRoutes[1] 'orders'</c>,
/// <c>GlobalConfiguration</c> or a line/position for JSON syntax errors.
/// </summary>
public sealed record ConfigurationError(string File, string Location, string Key, string Reason)
{
    public override string ToString() => $"{File}: {Location}: {Key}: {Reason}";
}

/// <summary>
/// Where a configuration entry came from, so that every error and warning can name the file and entry.
/// </summary>
public sealed record ConfigurationSite(string File, string Location)
{
    public static ConfigurationSite Global(string file) => new(file, "GlobalConfiguration");

    public ConfigurationError Error(string key, string reason) => new(File, Location, key, reason);

    public string Deprecation(string deprecatedKey, string replacement, bool bothPresent) =>
        bothPresent
            ? $"{File}: {Location}: '{deprecatedKey}' is deprecated; use '{replacement}' instead (both are present: '{deprecatedKey}' wins)."
            : $"{File}: {Location}: '{deprecatedKey}' is deprecated; use '{replacement}' instead.";
}
