using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.LoopDetection;

/// <summary>
/// RFC 9110 §7.6.3 <c>Via</c>: each proxy appends <c>{protocol-version} {received-by}</c>, so the header lists every
/// hop a request has passed. The gateway's received-by is its <see cref="GatewayInstance.Pseudonym"/>.
/// </summary>
public static class ViaHeader
{
    public const string Name = "Via";

    /// <summary>This hop's entry for a request that arrived over <paramref name="protocol"/> (e.g. <c>HTTP/1.1</c> → <c>1.1 {pseudonym}</c>).</summary>
    public static string Entry(string protocol, string pseudonym)
    {
        var version = protocol.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase) ? protocol["HTTP/".Length..] : protocol;
        return $"{version} {pseudonym}";
    }

    /// <summary>True when one of the hops in <paramref name="via"/> was received by <paramref name="pseudonym"/>.</summary>
    public static bool Contains(StringValues via, string pseudonym)
    {
        foreach (var value in via)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                // A hop is "[protocol-name/]protocol-version received-by [comment]".
                var hop = value.AsSpan()[range].Trim();
                var space = hop.IndexOfAny(' ', '\t');
                if (space < 0)
                {
                    continue;
                }

                var receivedBy = hop[(space + 1)..].TrimStart();
                var end = receivedBy.IndexOfAny(' ', '\t');
                if ((end < 0 ? receivedBy : receivedBy[..end]).Equals(pseudonym, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
