namespace MicroDemo.Gateway.ClientAddress;

/// <summary>
/// Which proxies in front of the gateway may tell it who the client is (<c>Gateway:ForwardedHeaders</c>; as
/// environment variables <c>Gateway__ForwardedHeaders__TrustedProxies__0=127.0.0.1</c>). Empty, the default,
/// trusts nobody: the client is the connection's peer, and <c>X-Forwarded-*</c> are headers like any other.
/// </summary>
public sealed record TrustedProxyOptions
{
    public const string SectionName = "Gateway:ForwardedHeaders";

    /// <summary>Addresses or ranges, in the forms of a route's <c>SecurityOptions</c> lists (<c>127.0.0.1</c>, <c>10.0.0.0/8</c>, <c>10.0.0.1-9</c>).</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>
    /// How many trusted proxies stand in front of the gateway (one edge: 1). The client is read this many entries
    /// from the right of <c>X-Forwarded-For</c> at most, so a client that is itself on a trusted address (a
    /// test or a curl on the edge's machine) still cannot push a forged entry of its own into that place.
    /// </summary>
    public int ForwardLimit { get; init; } = 1;
}
