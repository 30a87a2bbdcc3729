using System.Net;
using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Headers;

/// <summary>
/// Adds <c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> to the headers sent
/// downstream, as other proxies do (Ocelot sends none unless configured). Each is appended to what the
/// client sent, so the chain stays aligned for ASP.NET's ForwardedHeaders middleware. Run it before the
/// route's <c>UpstreamHeaderTransform</c>, so an explicit transform (Ocelot's idiom
/// <c>"X-Forwarded-For": "{RemoteIpAddress}"</c>) still overwrites the value.
/// </summary>
public sealed class ForwardedHeadersWriter(bool enabled)
{
    public const string ForHeader = "X-Forwarded-For";
    public const string ProtoHeader = "X-Forwarded-Proto";
    public const string HostHeader = "X-Forwarded-Host";

    public bool Enabled { get; } = enabled;

    /// <param name="context">The incoming request; its headers hold what earlier proxies sent.</param>
    /// <param name="target">The headers that will be sent downstream (usually <c>context.Request.Headers</c>).</param>
    public void Apply(HttpContext context, IHeaderDictionary target)
    {
        if (!Enabled)
        {
            return;
        }

        var incoming = context.Request.Headers;
        if (context.Connection.RemoteIpAddress is { } peer)
        {
            target[ForHeader] = Append(incoming[ForHeader], FormatPeer(peer));
        }

        target[ProtoHeader] = Append(incoming[ProtoHeader], context.Request.Scheme);
        if (context.Request.Headers.Host is { Count: > 0 } host && !string.IsNullOrEmpty(host[0]))
        {
            target[HostHeader] = Append(incoming[HostHeader], host[0]!);
        }
    }

    private static string FormatPeer(IPAddress peer) => (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();

    private static string Append(StringValues existing, string value)
        => StringValues.IsNullOrEmpty(existing) ? value : string.Join(", ", [.. existing, value]);
}
