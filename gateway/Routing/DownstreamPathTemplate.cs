namespace MicroDemo.Gateway.Routing;

/// <summary>
/// A <c>DownstreamPathTemplate</c> compiled once per configuration load. Builds the path and query to
/// append to <c>scheme://host:port</c> with Ocelot's rules (§2): <c>{name}</c> replaced by its value,
/// a trailing '/' the upstream path did not have removed, and the query either merged with the
/// template's <c>?query</c> or forwarded minus the parameters consumed as placeholders.
/// <para>
/// Query parameters are kept as sent (not decoded and re-encoded, order and repeats preserved);
/// Ocelot rebuilds the query, which collapses <c>a=1&amp;a=2</c> into <c>a=1%2C2</c>.
/// </para>
/// </summary>
public sealed class DownstreamPathTemplate
{
    private const int StackBufferSize = 256;

    private readonly TemplateToken[] _tokens;

    private DownstreamPathTemplate(string template, TemplateToken[] tokens)
    {
        Template = template;
        _tokens = tokens;
    }

    public string Template { get; }

    public static DownstreamPathTemplate Create(string template)
    {
        ArgumentException.ThrowIfNullOrEmpty(template);
        return new DownstreamPathTemplate(template, TemplateToken.Parse(template, "Downstream path template"));
    }

    /// <summary>True when the template contains <c>{name}</c>; <c>ChangeDownstreamPathTemplate</c> keys must.</summary>
    public bool ContainsPlaceholder(string name)
    {
        foreach (var token in _tokens)
        {
            if (token.IsPlaceholder && string.Equals(token.Text, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Builds the escaped downstream path and query, e.g. <c>/api/items/5?x=1</c>.</summary>
    /// <param name="placeholders">Values captured by the route match.</param>
    /// <param name="upstreamPath">The request path; only whether it ends with '/' matters.</param>
    /// <param name="upstreamQuery">The raw request query string.</param>
    /// <param name="extraValues">Further values (e.g. from <c>ChangeDownstreamPathTemplate</c> claims); they win over captured ones.</param>
    public string BuildPathAndQuery(PlaceholderValues placeholders, PathString upstreamPath, QueryString upstreamQuery, ReadOnlySpan<Placeholder> extraValues = default)
    {
        var substituted = new PooledCharBuilder(stackalloc char[StackBufferSize]);
        var result = new PooledCharBuilder(stackalloc char[StackBufferSize]);
        try
        {
            foreach (var token in _tokens)
            {
                if (!token.IsPlaceholder)
                {
                    substituted.Append(token.Text);
                }
                else if (TryFind(extraValues, token.Text, out var value) || placeholders.TryGetValue(token.Text, out value))
                {
                    substituted.Append(value);
                }
                else
                {
                    // Ocelot replaces only known names; an unknown {name} stays in the path.
                    substituted.Append('{');
                    substituted.Append(token.Text);
                    substituted.Append('}');
                }
            }

            var built = substituted.AsSpan();
            var upstreamEndsWithSlash = upstreamPath.HasValue && upstreamPath.Value!.EndsWith('/');
            if (!upstreamEndsWithSlash)
            {
                built = built.TrimEnd('/');
            }

            var questionMark = built.IndexOf('?');
            var path = questionMark < 0 ? built : built[..questionMark];
            if (path.IsEmpty)
            {
                result.Append('/');
            }
            else
            {
                UriEscaping.AppendPath(ref result, path);
            }

            var originalQuery = upstreamQuery.HasValue ? upstreamQuery.Value.AsSpan(1) : default;
            if (questionMark >= 0)
            {
                AppendMergedQuery(ref result, built[(questionMark + 1)..], originalQuery, placeholders, extraValues);
            }
            else
            {
                AppendQueryWithoutPlaceholders(ref result, originalQuery, placeholders, extraValues);
            }

            return result.ToString();
        }
        finally
        {
            substituted.Dispose();
            result.Dispose();
        }
    }

    public override string ToString() => Template;

    /// <summary>
    /// Template parameters first (they win on a name conflict), then the original parameters except
    /// those named like a placeholder. Names compare case-sensitively here, as in Ocelot.
    /// </summary>
    private static void AppendMergedQuery(ref PooledCharBuilder result, ReadOnlySpan<char> templateQuery, ReadOnlySpan<char> originalQuery, PlaceholderValues placeholders, ReadOnlySpan<Placeholder> extraValues)
    {
        var separator = '?';
        foreach (var range in templateQuery.SplitAny('&', '?'))
        {
            var parameter = templateQuery[range];
            if (!parameter.IsEmpty)
            {
                AppendParameter(ref result, ref separator, parameter);
            }
        }

        foreach (var range in originalQuery.Split('&'))
        {
            var parameter = originalQuery[range];
            if (parameter.IsEmpty)
            {
                continue;
            }

            var name = QueryParameterName.Of(parameter);
            if (QueryParameterName.IsPlaceholder(name, placeholders, extraValues, StringComparison.Ordinal)
                || IsTemplateParameter(name, templateQuery))
            {
                continue;
            }

            AppendParameter(ref result, ref separator, parameter);
        }
    }

    /// <summary>Forwards the original query minus parameters named like a placeholder (case-insensitively, as Ocelot does here).</summary>
    private static void AppendQueryWithoutPlaceholders(ref PooledCharBuilder result, ReadOnlySpan<char> originalQuery, PlaceholderValues placeholders, ReadOnlySpan<Placeholder> extraValues)
    {
        if (originalQuery.IsEmpty)
        {
            return;
        }

        if (placeholders.Count == 0 && extraValues.IsEmpty)
        {
            result.Append('?');
            UriEscaping.AppendQuery(ref result, originalQuery);
            return;
        }

        var separator = '?';
        foreach (var range in originalQuery.Split('&'))
        {
            var parameter = originalQuery[range];
            if (!parameter.IsEmpty
                && !QueryParameterName.IsPlaceholder(QueryParameterName.Of(parameter), placeholders, extraValues, StringComparison.OrdinalIgnoreCase))
            {
                AppendParameter(ref result, ref separator, parameter);
            }
        }
    }

    private static bool IsTemplateParameter(ReadOnlySpan<char> name, ReadOnlySpan<char> templateQuery)
    {
        foreach (var range in templateQuery.SplitAny('&', '?'))
        {
            var parameter = templateQuery[range];
            if (!parameter.IsEmpty && QueryParameterName.Equals(QueryParameterName.Of(parameter), name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendParameter(ref PooledCharBuilder result, ref char separator, ReadOnlySpan<char> parameter)
    {
        result.Append(separator);
        separator = '&';
        UriEscaping.AppendQuery(ref result, parameter);
    }

    private static bool TryFind(ReadOnlySpan<Placeholder> values, string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
    {
        foreach (var candidate in values)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                value = candidate.Value;
                return true;
            }
        }

        value = null;
        return false;
    }
}
