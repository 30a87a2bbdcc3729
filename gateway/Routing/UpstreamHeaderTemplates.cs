using System.Text;
using System.Text.RegularExpressions;

namespace MicroDemo.Gateway.Routing;

/// <summary>
/// A route's <c>UpstreamHeaderTemplates</c> compiled once per configuration load: every listed header
/// must be present and its whole value must match; <c>{header:name}</c> captures become placeholders.
/// Literal template text is matched literally (Ocelot uses it as a raw regex, so <c>v1+json</c> never
/// matched itself there).
/// </summary>
public sealed class UpstreamHeaderTemplates
{
    private const string CapturePrefix = "{header:";

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly HeaderTemplate[] _templates;

    private UpstreamHeaderTemplates(HeaderTemplate[] templates)
    {
        _templates = templates;
        foreach (var template in templates)
        {
            HasCaptures |= template.CaptureNames.Length > 0;
        }
    }

    public static UpstreamHeaderTemplates Empty { get; } = new([]);

    public int Count => _templates.Length;

    public bool HasCaptures { get; }

    /// <summary>Compiles header name → value template pairs. Throws <see cref="FormatException"/> for a malformed capture.</summary>
    public static UpstreamHeaderTemplates Create(IReadOnlyDictionary<string, string>? templates, bool caseSensitive = false)
    {
        if (templates is null || templates.Count == 0)
        {
            return Empty;
        }

        var compiled = new List<HeaderTemplate>(templates.Count);
        foreach (var (header, valueTemplate) in templates)
        {
            compiled.Add(Compile(header, valueTemplate ?? string.Empty, caseSensitive));
        }

        return new([.. compiled]);
    }

    /// <summary>True when every template header is present and matches.</summary>
    public bool IsMatch(IHeaderDictionary headers)
    {
        foreach (var template in _templates)
        {
            if (!TryGetValue(headers, template.Header, out var value) || !SafeIsMatch(template.Pattern, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Captured values of headers that <see cref="IsMatch"/> accepted, in template order; null if a
    /// header no longer matches (or matching timed out).
    /// </summary>
    public Placeholder[]? Capture(IHeaderDictionary headers)
    {
        if (!HasCaptures)
        {
            return [];
        }

        var captures = new List<Placeholder>();
        foreach (var template in _templates)
        {
            if (template.CaptureNames.Length == 0)
            {
                continue;
            }

            if (!TryGetValue(headers, template.Header, out var value))
            {
                return null;
            }

            try
            {
                var match = template.Pattern.Match(value);
                if (!match.Success)
                {
                    return null;
                }

                for (var i = 0; i < template.CaptureNames.Length; i++)
                {
                    captures.Add(new Placeholder(template.CaptureNames[i], match.Groups[i + 1].Value));
                }
            }
            catch (RegexMatchTimeoutException)
            {
                return null;
            }
        }

        return [.. captures];
    }

    private static HeaderTemplate Compile(string header, string valueTemplate, bool caseSensitive)
    {
        var names = new List<string>();
        var pattern = new StringBuilder(@"\A");
        var position = 0;
        while (position < valueTemplate.Length)
        {
            var start = valueTemplate.IndexOf(CapturePrefix, position, StringComparison.OrdinalIgnoreCase);
            if (start < 0)
            {
                break;
            }

            var end = valueTemplate.IndexOf('}', start + CapturePrefix.Length);
            var name = end < 0 ? string.Empty : valueTemplate[(start + CapturePrefix.Length)..end];
            if (name.Length == 0)
            {
                throw new FormatException(
                    $"Upstream header template for '{header}' ('{valueTemplate}') has an invalid capture at position {start}: use '{{header:name}}' with a non-empty name.");
            }

            pattern.Append(Regex.Escape(valueTemplate[position..start])).Append("(.+)");
            names.Add(name);
            position = end + 1;
        }

        pattern.Append(Regex.Escape(valueTemplate[position..])).Append(@"\z");
        var options = RegexOptions.CultureInvariant | RegexOptions.Singleline | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
        return new HeaderTemplate(header, new Regex(pattern.ToString(), options, MatchTimeout), [.. names]);
    }

    private static bool TryGetValue(IHeaderDictionary headers, string header, out string value)
    {
        if (!headers.TryGetValue(header, out var values) || values.Count == 0)
        {
            value = string.Empty;
            return false;
        }

        // A header sent twice is matched as one comma-joined value, as Ocelot does (and usually fails).
        value = values.Count == 1 ? values[0] ?? string.Empty : values.ToString();
        return true;
    }

    private static bool SafeIsMatch(Regex pattern, string value)
    {
        try
        {
            return pattern.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private sealed record HeaderTemplate(string Header, Regex Pattern, string[] CaptureNames);
}
