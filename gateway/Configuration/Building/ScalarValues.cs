using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace MicroDemo.Gateway.Configuration;

/// <summary>Conversions of single keys shared by routes, dynamic routes and the global section.</summary>
internal static partial class ScalarValues
{
    public static readonly Version DefaultHttpVersion = System.Net.HttpVersion.Version11;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);
    public static IReadOnlyList<string> SupportedSchemes { get; } = ["http", "https", "ws", "wss"];

    [GeneratedRegex(@"^[0-9]([.,][0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex HttpVersionPattern();

    [GeneratedRegex(@"^/\{[^/{}]+\}$", RegexOptions.CultureInvariant)]
    private static partial Regex SinglePlaceholderTemplate();

    public static string? Scheme(string? value, ConfigurationSite site, ICollection<ConfigurationError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var scheme = SupportedSchemes.FirstOrDefault(s => string.Equals(s, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (scheme is null)
        {
            errors.Add(site.Error("DownstreamScheme", $"'{value}' is not supported; use one of {string.Join(", ", SupportedSchemes)}"));
        }

        return scheme;
    }

    public static Version? HttpVersion(string? value, ConfigurationSite site, ICollection<ConfigurationError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (!HttpVersionPattern().IsMatch(text))
        {
            errors.Add(site.Error("DownstreamHttpVersion", $"'{value}' is not a valid HTTP version; use 1.0, 1.1, 2 or 3 (pattern ^[0-9]([.,][0-9])?$)"));
            return null;
        }

        text = text.Replace(',', '.');
        return Version.Parse(text.Contains('.', StringComparison.Ordinal) ? text : text + ".0");
    }

    public static HttpVersionPolicy? VersionPolicy(string? value, ConfigurationSite site, ICollection<ConfigurationError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Enum.TryParse<HttpVersionPolicy>(value.Trim(), ignoreCase: true, out var policy) && Enum.IsDefined(policy) && !int.TryParse(value, out _))
        {
            return policy;
        }

        errors.Add(site.Error("DownstreamHttpVersionPolicy",
            $"'{value}' is not valid; use {string.Join(", ", Enum.GetNames<HttpVersionPolicy>())}"));
        return null;
    }

    /// <summary>Ocelot's rule: route value, else global, else 90 s; zero or negative counts as not set.</summary>
    public static TimeSpan Timeout(int? own, int? global) =>
        own > 0 ? TimeSpan.FromSeconds(own.Value)
        : global > 0 ? TimeSpan.FromSeconds(global.Value)
        : DefaultTimeout;

    /// <summary>A template that is exactly one placeholder matches everything, so Ocelot forces it last.</summary>
    public static int Priority(int? configured, string template) =>
        SinglePlaceholderTemplate().IsMatch(template) ? 0 : configured ?? 1;

    public static IReadOnlySet<string> Methods(List<string>? methods) =>
        (methods ?? [])
            .Where(m => !string.IsNullOrWhiteSpace(m))
            .Select(m => m.Trim().ToUpperInvariant())
            .ToImmutableSortedSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Header names compare case-insensitively; later entries win, as they would in a JSON object.</summary>
    public static ImmutableSortedDictionary<string, string> HeaderMap(Dictionary<string, string>? values) =>
        Map(values, StringComparer.OrdinalIgnoreCase);

    public static ImmutableSortedDictionary<string, string> ExactMap(Dictionary<string, string>? values) =>
        Map(values, StringComparer.Ordinal);

    /// <summary>Overlays route entries on global ones (route wins per key), keeping the global map's comparer.</summary>
    public static ImmutableSortedDictionary<string, string> Overlay(ImmutableSortedDictionary<string, string> global, Dictionary<string, string>? own)
    {
        var builder = global.ToBuilder();
        foreach (var (key, value) in own ?? [])
        {
            builder[key] = value ?? "";
        }

        return builder.ToImmutable();
    }

    public static SecuritySettings Security(FileSecurityOptions? own, SecuritySettings fallback)
    {
        var allowed = Clean(own?.IPAllowedList);
        var blocked = Clean(own?.IPBlockedList);
        return allowed.Length == 0 && blocked.Length == 0
            ? fallback
            : new SecuritySettings(allowed, blocked, own?.ExcludeAllowedFromBlocked ?? false);

        static ImmutableArray<string> Clean(List<string>? entries) =>
            (entries ?? []).Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()).ToImmutableArray();
    }

    private static ImmutableSortedDictionary<string, string> Map(Dictionary<string, string>? values, StringComparer comparer)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(comparer);
        foreach (var (key, value) in values ?? [])
        {
            builder[key] = value ?? "";
        }

        return builder.ToImmutable();
    }
}
