using System.Text;
using System.Text.RegularExpressions;

namespace MicroDemo.Gateway.Routing;

/// <summary>
/// An <c>UpstreamPathTemplate</c> compiled once per configuration load, with Ocelot v25's matching
/// and placeholder-extraction rules (docs/ocelot-reference §2).
/// <para>
/// Requests are compared as <see cref="RequestPath.Escaped"/> gives the path (the client's encoding; Ocelot
/// uses ASP.NET's decoded path, re-escaped) and, for templates containing <c>?</c>, that path followed by the
/// raw query string. Template text is literal: unlike older Ocelot, a <c>.</c> matches only a dot.
/// </para>
/// </summary>
public sealed class UpstreamPathTemplate
{
    private const string SegmentPattern = "[^/]+";
    private const string CatchAllPattern = ".*";
    private const string QueryMarkerPattern = @"(?:/\z|/\?|\?|\z)";

    // Extraction runs a backtracking regex (captures must follow Ocelot's greedy rules); the bound
    // keeps a hostile path from pinning a core. A timeout is treated as "no match" (404).
    private static readonly TimeSpan ExtractionTimeout = TimeSpan.FromMilliseconds(250);

    private readonly MatchKind _kind;
    private readonly string _literal = string.Empty;
    private readonly bool _literalAllowsTrailingSlash;
    private readonly StringComparison _literalComparison;
    private readonly Regex? _matcher;
    private readonly Regex? _extractor;
    private readonly string[] _placeholderNames;
    private readonly bool _retryExtractionWithTrailingSlash;
    private readonly bool _isCatchAllQuery;
    private readonly string? _literalBeforeOnlyPlaceholder;

    private UpstreamPathTemplate(string template, bool caseSensitive, TemplateToken[] tokens)
    {
        Template = template;
        IsCaseSensitive = caseSensitive;
        _literalComparison = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

        var placeholderCount = 0;
        var firstQueryToken = -1;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].IsPlaceholder)
            {
                placeholderCount++;
            }
            else if (firstQueryToken < 0 && tokens[i].Text.Contains('?'))
            {
                firstQueryToken = i;
            }
        }

        _placeholderNames = new string[placeholderCount];
        for (int i = 0, n = 0; i < tokens.Length; i++)
        {
            if (tokens[i].IsPlaceholder)
            {
                _placeholderNames[n++] = tokens[i].Text;
            }
        }

        MatchesQuery = firstQueryToken >= 0;
        FirstSegment = IsCatchAllTemplate(template) || tokens is not [{ IsPlaceholder: false } first, ..]
            ? null
            : FixedFirstSegment(first.Text, wholeTemplate: tokens.Length == 1);

        if (IsCatchAllTemplate(template))
        {
            _kind = MatchKind.Everything;
        }
        else if (placeholderCount == 0 && !MatchesQuery)
        {
            _kind = MatchKind.Literal;
            _literalAllowsTrailingSlash = template.Length > 1 && template.EndsWith('/');
            _literal = _literalAllowsTrailingSlash ? template[..^1] : template;
        }
        else if (!MatchesQuery && tokens is [{ IsPlaceholder: false } prefix, { IsPlaceholder: true }] && Ascii.IsValid(prefix.Text))
        {
            // "/api/users/{rest}": the pattern BuildMatchPattern would give is "\A/api/users(?:|/.*)\z", i.e. a prefix
            // comparison. No regex per route: a configuration of a thousand such routes stays small and fast.
            _kind = MatchKind.Prefix;
            _literal = prefix.Text;
            _literalAllowsTrailingSlash = prefix.Text.EndsWith('/');
        }
        else
        {
            _kind = MatchKind.Pattern;
            var options = RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking
                | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
            _matcher = new Regex(BuildMatchPattern(tokens, firstQueryToken), options);
        }

        if (placeholderCount > 0)
        {
            // A path that only reached a trailing catch-all through its optional last segment
            // ("/api" for "/api/{rest}") is extracted again with a '/' appended, giving an empty value.
            _retryExtractionWithTrailingSlash = !MatchesQuery && (template.EndsWith('}') || template.EndsWith("}/", StringComparison.Ordinal));

            if (tokens is [{ IsPlaceholder: false } literal, { IsPlaceholder: true }])
            {
                // "/path?{query}": the whole query is passed through, so the placeholder itself is empty.
                _isCatchAllQuery = literal.Text.EndsWith('?');

                // "/{everything}", "/api/users/{rest}": the value is what follows the literal, so the most common
                // templates are extracted by a prefix comparison instead of a regex match per request.
                _literalBeforeOnlyPlaceholder = literal.Text;
            }
            else
            {
                _extractor = new Regex(
                    BuildExtractionPattern(tokens),
                    RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
                    ExtractionTimeout);
            }
        }
    }

    private enum MatchKind
    {
        Everything,
        Literal,
        Prefix,
        Pattern,
    }

    /// <summary>The template as configured.</summary>
    public string Template { get; }

    public bool IsCaseSensitive { get; }

    /// <summary>True when the template contains <c>?</c>: the query takes part in matching and extraction.</summary>
    public bool MatchesQuery { get; }

    /// <summary>True for <c>/{anything}</c>, which matches every request (its priority is forced to 0 by configuration).</summary>
    public bool IsCatchAll => _kind == MatchKind.Everything;

    /// <summary>Placeholder names in template order, without braces.</summary>
    public IReadOnlyList<string> PlaceholderNames => _placeholderNames;

    /// <summary>
    /// The first path segment (between the leading '/' and the next '/', '?' or the end) of every path this template
    /// matches, compared ignoring case; null when a placeholder can reach into it. <see cref="RouteTable{TRoute}"/>
    /// indexes templates by it.
    /// </summary>
    internal string? FirstSegment { get; }

    /// <summary>Compiles a template. Throws <see cref="FormatException"/> for a malformed placeholder.</summary>
    public static UpstreamPathTemplate Create(string template, bool caseSensitive = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(template);
        return new UpstreamPathTemplate(template, caseSensitive, TemplateToken.Parse(template, "Upstream path template"));
    }

    /// <summary>
    /// True for a template that is exactly <c>/{name}</c>: Ocelot matches everything with it and forces its priority to 0.
    /// </summary>
    public static bool IsCatchAllTemplate(string template)
        => template.Length > 3 && template.StartsWith("/{", StringComparison.Ordinal) && template.IndexOf('}') == template.Length - 1;

    public bool IsMatch(PathString path, QueryString query)
    {
        string? pathAndQuery = null;
        return IsMatch(path.ToUriComponent(), query.Value ?? string.Empty, ref pathAndQuery);
    }

    /// <summary>Placeholder values for a request this template matched; empty when Ocelot's extraction finds none.</summary>
    public PlaceholderValues ExtractPlaceholders(PathString path, QueryString query)
    {
        string? pathAndQuery = null;
        return new(Extract(path.ToUriComponent(), query.Value ?? string.Empty, ref pathAndQuery) ?? []);
    }

    /// <param name="escapedPath">The request path as <see cref="RequestPath.Escaped"/> gives it.</param>
    /// <param name="query">The raw query string including its leading '?', or empty.</param>
    /// <param name="pathAndQuery">Path and query joined, built at most once per request by whichever template needs it first.</param>
    internal bool IsMatch(string escapedPath, string query, ref string? pathAndQuery) => _kind switch
    {
        MatchKind.Everything => true,
        MatchKind.Literal => MatchesLiteral(escapedPath),
        MatchKind.Prefix => MatchesPrefix(escapedPath),
        _ => _matcher!.IsMatch(MatchesQuery ? Join(escapedPath, query, ref pathAndQuery) : escapedPath),
    };

    /// <summary>Returns the captured values, or null when extraction timed out.</summary>
    internal Placeholder[]? Extract(string escapedPath, string query, ref string? pathAndQuery)
    {
        if (_placeholderNames.Length == 0)
        {
            return [];
        }

        if (_isCatchAllQuery)
        {
            return [new Placeholder(_placeholderNames[0], string.Empty)];
        }

        // Ocelot looks at the query only when the template has one; an empty query changes nothing.
        var input = MatchesQuery ? Join(escapedPath, query, ref pathAndQuery) : escapedPath;
        if (_literalBeforeOnlyPlaceholder is { } literal)
        {
            var value = ValueAfter(literal, input) ?? (_retryExtractionWithTrailingSlash ? ValueAfter(literal, input + "/") : null);
            return value is null ? [] : [new Placeholder(_placeholderNames[0], value)];
        }

        try
        {
            var match = _extractor!.Match(input);
            if (!match.Success && _retryExtractionWithTrailingSlash)
            {
                match = _extractor.Match(input + "/");
            }

            if (!match.Success)
            {
                return [];
            }

            var values = new Placeholder[_placeholderNames.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = new Placeholder(_placeholderNames[i], match.Groups[i + 1].Value);
            }

            return values;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    public override string ToString() => Template;

    // What the extraction pattern "\A<literal>([^&]*)" would capture: after the literal (compared case-insensitively)
    // up to the first '&', Ocelot's rule for the last placeholder.
    private static string? ValueAfter(string literal, string input)
    {
        if (!input.StartsWith(literal, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var end = input.IndexOf('&', literal.Length);
        return end < 0 ? input[literal.Length..] : input[literal.Length..end];
    }

    // The literal text the match pattern starts with (Regex.Escape'd, so exact): up to its first '/' or '?' after the
    // leading '/', it survives the optional-last-segment and query-marker rewrites of BuildMatchPattern. Non-ASCII text
    // is left out: the regex's case-insensitive equivalences go beyond OrdinalIgnoreCase there.
    private static string? FixedFirstSegment(string literal, bool wholeTemplate)
    {
        if (!literal.StartsWith('/'))
        {
            return null;
        }

        var end = literal.AsSpan(1).IndexOfAny('/', '?');
        if (end < 0 && !wholeTemplate)
        {
            return null;
        }

        var segment = end < 0 ? literal[1..] : literal.Substring(1, end);
        return Ascii.IsValid(segment) ? segment : null;
    }

    private static string Join(string escapedPath, string query, ref string? pathAndQuery)
        => pathAndQuery ??= query.Length == 0 ? escapedPath : string.Concat(escapedPath, query);

    private bool MatchesLiteral(ReadOnlySpan<char> path)
    {
        if (_literalAllowsTrailingSlash && path.EndsWith('/'))
        {
            path = path[..^1];
        }

        return path.Equals(_literal, _literalComparison);
    }

    // A prefix ending in '/' also matches the path without it: the placeholder's "/segment" is optional (Ocelot's rule).
    private bool MatchesPrefix(ReadOnlySpan<char> path) =>
        path.StartsWith(_literal, _literalComparison)
        || (_literalAllowsTrailingSlash && path.Equals(_literal.AsSpan(0, _literal.Length - 1), _literalComparison));

    /// <summary>
    /// The matching rules of §2, applied to the pattern text in the same order Ocelot applies them so
    /// that the optional-last-segment and trailing-slash rules see the same text.
    /// </summary>
    private static string BuildMatchPattern(TemplateToken[] tokens, int firstQueryToken)
    {
        var hasQuery = firstQueryToken >= 0;
        var marker = "?";
        if (hasQuery)
        {
            foreach (var token in tokens)
            {
                if (!token.IsPlaceholder && token.Text.Contains("/?", StringComparison.Ordinal))
                {
                    marker = "/?";
                    break;
                }
            }
        }

        var pattern = new StringBuilder();
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (!token.IsPlaceholder)
            {
                AppendLiteral(pattern, token.Text, hasQuery ? marker : null);
            }
            else if (hasQuery)
            {
                // Before the '?' the query marker group (which contains '/') always follows, so the value stops at '/'.
                pattern.Append(i > firstQueryToken ? CatchAllPattern : SegmentPattern);
            }
            else
            {
                pattern.Append(HasSlashAfter(tokens, i) ? SegmentPattern : CatchAllPattern);
            }
        }

        var body = pattern.ToString();

        // A trailing catch-all right after the last '/' makes that whole "/segment" optional.
        var lastSlash = body.LastIndexOf('/');
        if (lastSlash >= 0 && lastSlash < body.Length - 1 && body[lastSlash + 1] == '.')
        {
            body = string.Concat(body.AsSpan(0, lastSlash), "(?:|/", body.AsSpan(lastSlash + 1), ")");
        }

        if (body.EndsWith('/'))
        {
            body = string.Concat(body.AsSpan(0, body.Length - 1), "(?:/|)");
        }

        return body == "/" ? @"\A/\z" : string.Concat(@"\A", body, @"\z");
    }

    private static void AppendLiteral(StringBuilder pattern, string text, string? queryMarker)
    {
        if (queryMarker is null)
        {
            pattern.Append(Regex.Escape(text));
            return;
        }

        var parts = text.Split(queryMarker);
        for (var p = 0; p < parts.Length; p++)
        {
            if (p > 0)
            {
                pattern.Append(QueryMarkerPattern);
            }

            pattern.Append(Regex.Escape(parts[p]));
        }
    }

    private static bool HasSlashAfter(TemplateToken[] tokens, int index)
    {
        for (var i = index + 1; i < tokens.Length; i++)
        {
            if (!tokens[i].IsPlaceholder && tokens[i].Text.Contains('/'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Ocelot extracts values with a second, unanchored-at-the-end and always case-insensitive pattern:
    /// every placeholder but the last stops at '/', '|' or '&amp;'; the last one stops only at '&amp;'.
    /// Groups are numbered, so any placeholder name works.
    /// </summary>
    private static string BuildExtractionPattern(TemplateToken[] tokens)
    {
        var lastPlaceholder = Array.FindLastIndex(tokens, t => t.IsPlaceholder);
        var pattern = new StringBuilder(@"\A");
        for (var i = 0; i < tokens.Length; i++)
        {
            pattern.Append(tokens[i].IsPlaceholder
                ? (i == lastPlaceholder ? "([^&]*)" : "([^/|&]*)")
                : Regex.Escape(tokens[i].Text));
        }

        return pattern.ToString();
    }
}
