namespace MicroDemo.Gateway.Routing;

/// <summary>
/// Selects the route for a request with Ocelot's rules: entries ordered by <c>Priority</c> descending,
/// file order within a priority; the first matching entry with an <c>UpstreamHost</c> wins, otherwise
/// the first matching entry. A method that is not allowed means no match; <see cref="CollectAllowedMethods"/>
/// then tells which methods would have matched (the gateway answers 405, Ocelot 404). There is no
/// longest-match: order and priority decide. Built once per configuration load.
/// <para>
/// Entries are indexed by the first path segment their template fixes (<see cref="UpstreamPathTemplate.FirstSegment"/>),
/// so a request is compared only with the entries of its own first segment and those that fix none, still in table
/// order: with 1,000 routes a request costs about what it costs with a handful (docs/benchmarks.md).
/// </para>
/// </summary>
public sealed class RouteTable<TRoute>
{
    private readonly CompiledEntry[] _entries;
    private readonly bool _anyHostBound;
    private readonly int[] _unindexed;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _byFirstSegment;

    public RouteTable(IEnumerable<RouteEntry<TRoute>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);

        // OrderByDescending is a stable sort: equal priorities keep file order.
        _entries = entries
            .OrderByDescending(e => e.Priority)
            .Select(e => new CompiledEntry(
                e.Route,
                e.PathTemplate,
                e.Methods.Count == 0 ? [] : [.. e.Methods],
                string.IsNullOrEmpty(e.UpstreamHost) ? null : e.UpstreamHost,
                e.HeaderTemplates))
            .ToArray();
        _anyHostBound = Array.Exists(_entries, e => e.UpstreamHost is not null);

        _unindexed = [.. Enumerable.Range(0, _entries.Length).Where(i => _entries[i].Path.FirstSegment is null)];
        var bySegment = new Dictionary<string, int[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in Enumerable.Range(0, _entries.Length)
                     .Where(i => _entries[i].Path.FirstSegment is not null)
                     .GroupBy(i => _entries[i].Path.FirstSegment!, StringComparer.OrdinalIgnoreCase))
        {
            bySegment[group.Key] = [.. group.Concat(_unindexed).Order()];
        }

        _byFirstSegment = bySegment.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _entries.Length;

    /// <param name="method">The request method (<c>HttpRequest.Method</c>).</param>
    /// <param name="host">The request host (<c>HttpRequest.Host</c>); its port is ignored.</param>
    /// <param name="escapedPath">The request path as <see cref="RequestPath.Escaped"/> gives it.</param>
    /// <param name="query">The raw query string.</param>
    /// <param name="headers">The request headers, for <c>UpstreamHeaderTemplates</c>.</param>
    public bool TryMatch(string method, HostString host, string escapedPath, QueryString query, IHeaderDictionary headers, out RouteMatch<TRoute> match)
    {
        var queryText = query.Value ?? string.Empty;
        string? pathAndQuery = null;
        var hostName = HostWithoutPort(host.Value);

        var winner = -1;
        foreach (var i in Candidates(escapedPath))
        {
            var entry = _entries[i];

            // Once something matched, only an entry bound to a host can still beat it.
            if (winner >= 0 && entry.UpstreamHost is null)
            {
                continue;
            }

            if (!entry.Allows(method, hostName)
                || !entry.Path.IsMatch(escapedPath, queryText, ref pathAndQuery)
                || (entry.Headers.Count > 0 && !entry.Headers.IsMatch(headers)))
            {
                continue;
            }

            winner = i;
            if (entry.UpstreamHost is not null || !_anyHostBound)
            {
                break;
            }
        }

        if (winner < 0 || !TryCapture(_entries[winner], escapedPath, queryText, ref pathAndQuery, headers, out var placeholders))
        {
            match = default;
            return false;
        }

        match = new RouteMatch<TRoute>(_entries[winner].Route, placeholders);
        return true;
    }

    /// <summary>
    /// Adds to <paramref name="allowed"/> the methods of the entries that match the request in all but its method,
    /// for a 405's <c>Allow</c> header. Asked only after <see cref="TryMatch"/> found nothing.
    /// </summary>
    public void CollectAllowedMethods(HostString host, string escapedPath, QueryString query, IHeaderDictionary headers, ISet<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var queryText = query.Value ?? string.Empty;
        string? pathAndQuery = null;
        var hostName = HostWithoutPort(host.Value);
        foreach (var i in Candidates(escapedPath))
        {
            var entry = _entries[i];
            if (entry.Methods.Length > 0
                && entry.AllowsHost(hostName)
                && entry.Path.IsMatch(escapedPath, queryText, ref pathAndQuery)
                && (entry.Headers.Count == 0 || entry.Headers.IsMatch(headers)))
            {
                allowed.UnionWith(entry.Methods.Select(method => method.ToUpperInvariant()));
            }
        }
    }

    // The entries that can match this path, in table order.
    private ReadOnlySpan<int> Candidates(string escapedPath)
    {
        var path = escapedPath.AsSpan();
        if (!path.StartsWith('/'))
        {
            return _unindexed;
        }

        path = path[1..];
        var end = path.IndexOfAny('/', '?');
        return _byFirstSegment.TryGetValue(end < 0 ? path : path[..end], out var entries) ? entries : _unindexed;
    }

    private static bool TryCapture(CompiledEntry entry, string escapedPath, string query, ref string? pathAndQuery, IHeaderDictionary headers, out PlaceholderValues placeholders)
    {
        placeholders = default;
        var fromPath = entry.Path.Extract(escapedPath, query, ref pathAndQuery);
        var fromHeaders = entry.Headers.HasCaptures ? entry.Headers.Capture(headers) : [];
        if (fromPath is null || fromHeaders is null)
        {
            return false;
        }

        if (fromHeaders.Length == 0)
        {
            placeholders = new(fromPath);
        }
        else
        {
            placeholders = new([.. fromPath, .. fromHeaders]);
        }

        return true;
    }

    /// <summary>
    /// The Host header without its port; an IPv6 literal keeps its brackets (Ocelot cuts at the first
    /// ':', which breaks IPv6 hosts).
    /// </summary>
    private static ReadOnlySpan<char> HostWithoutPort(string? host)
    {
        var span = host.AsSpan();
        if (span.StartsWith('['))
        {
            var end = span.IndexOf(']');
            return end < 0 ? span : span[..(end + 1)];
        }

        var colon = span.IndexOf(':');
        return colon < 0 ? span : span[..colon];
    }

    private sealed record CompiledEntry(TRoute Route, UpstreamPathTemplate Path, string[] Methods, string? UpstreamHost, UpstreamHeaderTemplates Headers)
    {
        public bool AllowsHost(ReadOnlySpan<char> host) => UpstreamHost is null || host.Equals(UpstreamHost, StringComparison.Ordinal);

        public bool Allows(string method, ReadOnlySpan<char> host)
        {
            if (!AllowsHost(host))
            {
                return false;
            }

            if (Methods.Length == 0)
            {
                return true;
            }

            foreach (var allowed in Methods)
            {
                if (string.Equals(allowed, method, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
