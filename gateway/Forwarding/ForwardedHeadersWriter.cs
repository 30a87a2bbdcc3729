using System.Net;
using System.Net.Http.Headers;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>The X-Forwarded-* headers the gateway adds to a route's outgoing requests.</summary>
[Flags]
public enum XForwardedHeaders
{
    None = 0,
    For = 1,
    Proto = 2,
    Host = 4,
    All = For | Proto | Host,
}

/// <summary>
/// Adds <c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> to the request sent
/// downstream, as other proxies do (Ocelot sends none unless configured). Each is appended to what the client
/// sent, so the chain stays aligned for ASP.NET's ForwardedHeaders middleware. A route that sets one of these
/// headers itself owns it: Ocelot's idiom <c>"X-Forwarded-For": "{RemoteIpAddress}"</c> still decides the value.
/// The headers are written straight onto the outgoing message, after the client's headers were copied (and
/// vetted) by <see cref="HeaderRules"/>, not into the client's request first: that saved a copy per header.
/// </summary>
public static class ForwardedHeadersWriter
{
    public const string ForHeader = "X-Forwarded-For";
    public const string ProtoHeader = "X-Forwarded-Proto";
    public const string HostHeader = "X-Forwarded-Host";

    /// <summary>Decided once per route when the configuration loads.</summary>
    /// <param name="enabled"><c>GlobalConfiguration.AddForwardedHeaders</c>.</param>
    /// <param name="headersSetByRoute">Header names the route writes itself (its <c>UpstreamHeaderTransform</c> and <c>AddHeadersToRequest</c> keys).</param>
    public static XForwardedHeaders ForRoute(bool enabled, IEnumerable<string> headersSetByRoute)
    {
        ArgumentNullException.ThrowIfNull(headersSetByRoute);
        if (!enabled)
        {
            return XForwardedHeaders.None;
        }

        var headers = XForwardedHeaders.All;
        foreach (var name in headersSetByRoute)
        {
            headers &= ~Named(name);
        }

        return headers;
    }

    /// <param name="context">The client's request: its peer address, scheme and Host describe this hop.</param>
    /// <param name="outgoing">The downstream request's headers, holding what the client sent.</param>
    /// <param name="headers">Which headers to add, from <see cref="ForRoute"/>.</param>
    public static void Apply(HttpContext context, HttpRequestHeaders outgoing, XForwardedHeaders headers)
    {
        if (headers == XForwardedHeaders.None)
        {
            return;
        }

        var request = context.Request;
        var sent = request.Headers;
        if ((headers & XForwardedHeaders.For) != 0 && context.Connection.RemoteIpAddress is { } peer)
        {
            Append(sent, outgoing, ForHeader, FormatPeer(peer));
        }

        if ((headers & XForwardedHeaders.Proto) != 0)
        {
            Append(sent, outgoing, ProtoHeader, request.Scheme);
        }

        if ((headers & XForwardedHeaders.Host) != 0 && sent.Host is { Count: > 0 } host && !string.IsNullOrEmpty(host[0]))
        {
            Append(sent, outgoing, HostHeader, host[0]!);
        }
    }

    private static XForwardedHeaders Named(string name) =>
        string.Equals(name, ForHeader, StringComparison.OrdinalIgnoreCase) ? XForwardedHeaders.For
        : string.Equals(name, ProtoHeader, StringComparison.OrdinalIgnoreCase) ? XForwardedHeaders.Proto
        : string.Equals(name, HostHeader, StringComparison.OrdinalIgnoreCase) ? XForwardedHeaders.Host
        : XForwardedHeaders.None;

    private static string FormatPeer(IPAddress peer) => (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();

    /// <summary>Adds <paramref name="hop"/> at the end of the chain the client sent in <paramref name="name"/> (or starts one).</summary>
    internal static void Append(IHeaderDictionary sent, HttpRequestHeaders outgoing, string name, string hop)
    {
        // Usually the client sent none, and asking Kestrel's headers is the cheaper way to find out.
        if (!sent.ContainsKey(name) || !outgoing.NonValidated.TryGetValues(name, out var earlier))
        {
            outgoing.TryAddWithoutValidation(name, hop);
            return;
        }

        // The client's chain was copied with its other headers; this hop goes at its end.
        var chain = string.Join(", ", [.. earlier, hop]);
        outgoing.Remove(name);
        outgoing.TryAddWithoutValidation(name, chain);
    }
}
