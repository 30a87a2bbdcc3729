using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Headers;

/// <summary>Which side of the exchange a transform set rewrites.</summary>
public enum HeaderTransformDirection
{
    /// <summary><c>UpstreamHeaderTransform</c>: the incoming request, before its headers are copied downstream.</summary>
    Request,

    /// <summary><c>DownstreamHeaderTransform</c>: the response returned to the client.</summary>
    Response,
}

/// <summary>
/// A route's <c>UpstreamHeaderTransform</c> or <c>DownstreamHeaderTransform</c> compiled once per
/// configuration load (§10). A value without a comma adds or overwrites the header (a value that is a
/// single <c>{Placeholder}</c> is resolved per request; unresolved means the header is skipped). A value
/// with a comma is <c>find, replace</c> on every value of an existing header (Ocelot: the first only); <c>{BaseUrl}</c> in the
/// replace part is resolved here, <c>{DownstreamBaseUrl}</c> in the find part of a response transform
/// per request. Find/replace entries run before adds, as in Ocelot.
/// </summary>
public sealed partial class HeaderTransforms
{
    private readonly FindAndReplace[] _findAndReplace;
    private readonly AddHeader[] _add;
    private readonly HeaderTransformDirection _direction;
    private readonly string _baseUrl;
    private readonly ILogger _logger;

    private HeaderTransforms(FindAndReplace[] findAndReplace, AddHeader[] add, HeaderTransformDirection direction, string baseUrl, ILogger logger)
    {
        _findAndReplace = findAndReplace;
        _add = add;
        _direction = direction;
        _baseUrl = baseUrl;
        _logger = logger;
    }

    public static HeaderTransforms Empty { get; } = new([], [], HeaderTransformDirection.Request, string.Empty, NullLogger.Instance);

    public bool IsEmpty => _findAndReplace.Length == 0 && _add.Length == 0;

    /// <summary>
    /// Route entries override global ones with the same header name (compared as Ocelot does: ordinally).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string>? route, IReadOnlyDictionary<string, string>? global)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (header, value) in route ?? new Dictionary<string, string>())
        {
            merged[header] = value;
        }

        foreach (var (header, value) in global ?? new Dictionary<string, string>())
        {
            merged.TryAdd(header, value);
        }

        return merged;
    }

    /// <param name="transforms">Header name → expression, as in <c>ocelot.json</c>.</param>
    /// <param name="direction">Request for <c>UpstreamHeaderTransform</c>, Response for <c>DownstreamHeaderTransform</c>.</param>
    /// <param name="baseUrl"><c>GlobalConfiguration.BaseUrl</c> (Ocelot's default is <c>http://localhost:5000</c>).</param>
    /// <param name="logger">Receives a warning for each entry that can never apply (Ocelot also only warns).</param>
    public static HeaderTransforms Create(IReadOnlyDictionary<string, string>? transforms, HeaderTransformDirection direction, string baseUrl, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        if (transforms is null || transforms.Count == 0)
        {
            return Empty;
        }

        var findAndReplace = new List<FindAndReplace>();
        var add = new List<AddHeader>();
        foreach (var (header, expression) in transforms)
        {
            var value = expression ?? string.Empty;
            if (IsFindAndReplace(value))
            {
                if (TryCompileFindAndReplace(header, value, direction, baseUrl, logger) is { } compiled)
                {
                    findAndReplace.Add(compiled);
                }
            }
            else
            {
                add.Add(CompileAdd(header, value, direction, logger));
            }
        }

        return new([.. findAndReplace], [.. add], direction, baseUrl, logger);
    }

    /// <summary>
    /// True when <paramref name="transforms"/> (as in <c>ocelot.json</c>) read <paramref name="placeholder"/> for each
    /// request: only a header set to exactly that placeholder does (a find-and-replace may only use <c>{BaseUrl}</c>).
    /// </summary>
    public static bool Reads(IReadOnlyDictionary<string, string> transforms, HeaderPlaceholder placeholder)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        foreach (var value in transforms.Values)
        {
            if (value is not null && !IsFindAndReplace(value) && HeaderPlaceholders.TryParse(value, out var used) && used == placeholder)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Rewrites <paramref name="headers"/> for one request.</summary>
    /// <param name="headers">The incoming request headers (Request) or the response headers being written (Response).</param>
    /// <param name="context">The current request, source of <c>{RemoteIpAddress}</c>, <c>{UpstreamHost}</c>, <c>{UpstreamScheme}</c>.</param>
    /// <param name="downstreamUri">The downstream request URI, for <c>{DownstreamBaseUrl}</c> in response transforms.</param>
    public void Apply(IHeaderDictionary headers, HttpContext context, Uri? downstreamUri = null)
    {
        foreach (var entry in _findAndReplace)
        {
            if (!headers.TryGetValue(entry.Header, out var values) || values.Count == 0)
            {
                continue;
            }

            var find = entry.Find;
            if (entry.FindHasDownstreamBaseUrl)
            {
                if (downstreamUri is null)
                {
                    continue;
                }

                find = find.Replace(HeaderPlaceholders.DownstreamBaseUrl, DownstreamBaseUrl(downstreamUri), StringComparison.Ordinal);
            }

            if (TryReplaceInEach(values, find, entry.Replace, out var replaced))
            {
                headers[entry.Header] = replaced;
            }
        }

        foreach (var entry in _add)
        {
            if (_direction == HeaderTransformDirection.Request)
            {
                // Ocelot removes the incoming header even when the new value cannot be resolved.
                headers.Remove(entry.Header);
            }

            var value = entry.Placeholder is { } placeholder ? Resolve(placeholder, context) : entry.Value;
            if (value is null)
            {
                Log.PlaceholderUnresolved(_logger, entry.Header, entry.Value);
                continue;
            }

            headers[entry.Header] = value;
        }
    }

    /// <summary><c>scheme://host[:port]/</c>; the port is omitted for 80 and 443 whatever the scheme, as in Ocelot.</summary>
    internal static string DownstreamBaseUrl(Uri downstream)
        => downstream.Port is 80 or 443
            ? string.Concat(downstream.Scheme, "://", downstream.Host, "/")
            : $"{downstream.Scheme}://{downstream.Host}:{downstream.Port}/";

    private string? Resolve(HeaderPlaceholder placeholder, HttpContext context) => placeholder switch
    {
        HeaderPlaceholder.BaseUrl => _baseUrl,
        HeaderPlaceholder.RemoteIpAddress => context.Connection.RemoteIpAddress?.ToString(),
        HeaderPlaceholder.UpstreamHost => context.Request.Headers.Host is { Count: > 0 } host ? host[0] : null,
        HeaderPlaceholder.UpstreamScheme => context.Request.Scheme,
        HeaderPlaceholder.TraceId => Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : null,
        _ => null,
    };

    // A header sent twice arrives as two values; Ocelot rewrites only the first, which leaves the text to be replaced
    // (an internal URL, say) in the second. False when nothing changed, so the header is not written again.
    private static bool TryReplaceInEach(StringValues values, string find, string replace, out StringValues replaced)
    {
        string?[]? rewritten = null;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value)
            {
                continue;
            }

            var result = value.Replace(find, replace, StringComparison.Ordinal);
            if (!ReferenceEquals(result, value))
            {
                rewritten ??= values.ToArray();
                rewritten[i] = result;
            }
        }

        replaced = rewritten is null ? default : new StringValues(rewritten);
        return rewritten is not null;
    }

    // Ocelot's rule: "find, replace" when the value has a comma, otherwise the header's new value.
    private static bool IsFindAndReplace(string value) => value.Contains(',');

    private static AddHeader CompileAdd(string header, string value, HeaderTransformDirection direction, ILogger logger)
    {
        if (!(value.Length > 1 && value.StartsWith('{') && value.EndsWith('}')))
        {
            return new AddHeader(header, value, null);
        }

        if (HeaderPlaceholders.TryParse(value, out var placeholder) && placeholder != HeaderPlaceholder.DownstreamBaseUrl)
        {
            return new AddHeader(header, value, placeholder);
        }

        // Unknown placeholders never resolve, so Ocelot skips the header on every request.
        Log.UnknownPlaceholder(logger, direction, header, value);
        return new AddHeader(header, value, HeaderPlaceholder.Unknown);
    }

    private static FindAndReplace? TryCompileFindAndReplace(string header, string expression, HeaderTransformDirection direction, string baseUrl, ILogger logger)
    {
        var parts = expression.Split(',');
        var find = parts[0];
        var replace = parts[1].TrimStart();
        if (find.Length == 0)
        {
            Log.FindAndReplaceIgnored(logger, direction, header, expression, "the find part is empty");
            return null;
        }

        var open = replace.IndexOf('{');
        var close = open < 0 ? -1 : replace.IndexOf('}', open);
        if (close > open)
        {
            // Only load-time values can appear in the replace part; Ocelot drops the entry otherwise.
            var placeholder = replace[open..(close + 1)];
            if (placeholder != HeaderPlaceholders.BaseUrl)
            {
                Log.FindAndReplaceIgnored(logger, direction, header, expression, $"only {HeaderPlaceholders.BaseUrl} can be used in the replace part, not {placeholder}");
                return null;
            }

            replace = replace.Replace(placeholder, baseUrl, StringComparison.Ordinal);
        }

        var findHasDownstreamBaseUrl = direction == HeaderTransformDirection.Response
            && find.Contains(HeaderPlaceholders.DownstreamBaseUrl, StringComparison.Ordinal);
        if (findHasDownstreamBaseUrl && !replace.EndsWith('/'))
        {
            // The resolved find part ends with '/', so the replacement keeps the path separator.
            replace += "/";
        }

        return new FindAndReplace(header, find, replace, findHasDownstreamBaseUrl);
    }

    private sealed record FindAndReplace(string Header, string Find, string Replace, bool FindHasDownstreamBaseUrl);

    private sealed record AddHeader(string Header, string Value, HeaderPlaceholder? Placeholder);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Direction} header transform for '{Header}' ('{Expression}') is ignored: {Reason}.")]
        public static partial void FindAndReplaceIgnored(ILogger logger, HeaderTransformDirection direction, string header, string expression, string reason);

        [LoggerMessage(2, LogLevel.Warning, "{Direction} header transform for '{Header}' uses unknown placeholder {Placeholder}; the header will always be skipped.")]
        public static partial void UnknownPlaceholder(ILogger logger, HeaderTransformDirection direction, string header, string placeholder);

        [LoggerMessage(3, LogLevel.Debug, "Header '{Header}' skipped: placeholder {Placeholder} has no value for this request.")]
        public static partial void PlaceholderUnresolved(ILogger logger, string header, string placeholder);
    }
}
