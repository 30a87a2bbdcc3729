using Microsoft.AspNetCore.Http.Features;

namespace MicroDemo.Gateway.Routing;

/// <summary>
/// The request path in the one form that routes match, capture placeholders from and forward: as the client
/// encoded it (the raw request target), with escapes of unreserved characters decoded and anything outside
/// RFC 3986's path characters escaped. A placeholder's value thus reaches the downstream decoded exactly once,
/// by the downstream itself.
/// <para>
/// <see cref="HttpRequest.Path"/> cannot serve here: Kestrel has decoded it once already, and escaping it again
/// (<see cref="PathString.ToUriComponent()"/>) keeps a decoded "%2e" as it is, so "%252e" reached the
/// downstream as "%2e" and was decoded a second time there, into a dot-segment. Kestrel also leaves "%2F"
/// encoded, so "%2F" and "%252F" look the same in <see cref="HttpRequest.Path"/>.
/// </para>
/// </summary>
/// <param name="Escaped">The path to match and forward, e.g. <c>/api/a%2Fb</c>.</param>
/// <param name="HasDotSegment">True when the client sent a "." or ".." segment, plainly or hidden by encoding (<see cref="DotSegments"/>).</param>
public readonly record struct RequestPath(string Escaped, bool HasDotSegment)
{
    public static RequestPath From(HttpRequest request)
    {
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return rawTarget is not null && TryGetPath(rawTarget, out var rawPath)
            ? FromRawPath(rawTarget, rawPath)
            : new RequestPath(request.Path.ToUriComponent(), HasDotSegment: false); // "OPTIONS *"; hosts that keep no raw target
    }

    /// <summary>The path of a request target in origin form (<c>/a/b?q</c>) or absolute form (<c>http://host/a/b?q</c>).</summary>
    public static RequestPath FromRawTarget(string rawTarget)
        => TryGetPath(rawTarget, out var rawPath) ? FromRawPath(rawTarget, rawPath) : new RequestPath("/", HasDotSegment: false);

    private static RequestPath FromRawPath(string rawTarget, Range rawPath)
    {
        var path = rawTarget.AsSpan()[rawPath];
        var hasDotSegment = DotSegments.Contains(path);
        if (UriEscaping.IsNormalRequestPath(path))
        {
            return new RequestPath(path.Length == rawTarget.Length ? rawTarget : path.ToString(), hasDotSegment);
        }

        var builder = new PooledCharBuilder(stackalloc char[256]);
        try
        {
            UriEscaping.AppendRequestPath(ref builder, path);
            return new RequestPath(builder.ToString(), hasDotSegment);
        }
        finally
        {
            builder.Dispose();
        }
    }

    private static bool TryGetPath(string rawTarget, out Range path)
    {
        var start = 0;
        if (!rawTarget.StartsWith('/'))
        {
            var authority = rawTarget.IndexOf("://", StringComparison.Ordinal);
            start = authority < 0 ? -1 : rawTarget.IndexOfAny(['/', '?'], authority + 3);
            if (start < 0 || rawTarget[start] == '?')
            {
                path = default;
                return false;
            }
        }

        var query = rawTarget.IndexOf('?', start);
        path = start..(query < 0 ? rawTarget.Length : query);
        return true;
    }
}
