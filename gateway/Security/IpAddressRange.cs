using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// An inclusive range of IPv4 or IPv6 addresses, kept as two numbers. Ocelot expands every entry into
/// single addresses at load (a /8 becomes 16 million objects); comparing against the bounds costs nothing.
/// </summary>
public sealed record IpAddressRange(AddressFamily Family, UInt128 First, UInt128 Last)
{
    /// <summary>
    /// Parses one <c>SecurityOptions</c> list entry: a single address (<c>10.0.0.1</c>, <c>::1</c>),
    /// a range (<c>10.0.0.1-10.0.0.9</c>), a short IPv4 range ending at a last octet (<c>10.0.0.1-250</c>),
    /// CIDR (<c>10.0.0.0/8</c>, <c>fe80::/10</c>) or an IPv4 address with a dotted mask
    /// (<c>10.0.0.0/255.0.0.0</c>).
    /// </summary>
    public static bool TryParse(string? entry, out IpAddressRange range, out string reason)
    {
        range = null!;
        var text = entry?.Trim() ?? "";
        if (text.Length == 0)
        {
            reason = "the entry is empty";
            return false;
        }

        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            return TryParseNetwork(text[..slash].Trim(), text[(slash + 1)..].Trim(), out range, out reason);
        }

        var dash = text.IndexOf('-');
        if (dash >= 0)
        {
            return TryParseSpan(text[..dash].Trim(), text[(dash + 1)..].Trim(), out range, out reason);
        }

        if (!TryParseAddress(text, out var single))
        {
            reason = $"'{text}' is not an IP address, range (a-b) or CIDR block (a/n)";
            return false;
        }

        var value = ToNumber(single);
        range = new IpAddressRange(Normalize(single).AddressFamily, value, value);
        reason = "";
        return true;
    }

    public bool Contains(IPAddress address)
    {
        var normalized = Normalize(address);
        if (normalized.AddressFamily != Family)
        {
            return false;
        }

        var value = ToNumber(normalized);
        return value >= First && value <= Last;
    }

    /// <summary>
    /// The range as the fewest CIDR blocks that cover exactly it, for APIs that only take networks
    /// (ASP.NET's <c>ForwardedHeadersOptions.KnownIPNetworks</c>): <c>10.0.0.1-10.0.0.6</c> becomes
    /// 10.0.0.1/32, 10.0.0.2/31, 10.0.0.4/31 and 10.0.0.6/32.
    /// </summary>
    public IReadOnlyList<IPNetwork> ToNetworks()
    {
        var width = BitWidth(Family);
        var networks = new List<IPNetwork>();
        var start = First;
        while (true)
        {
            // The largest block aligned on start that does not run past Last.
            var hostBits = start == UInt128.Zero ? width : Math.Min(width, (int)UInt128.TrailingZeroCount(start));
            while (hostBits > 0 && (start | HostMask(hostBits)) > Last)
            {
                hostBits--;
            }

            networks.Add(new IPNetwork(ToAddress(start, Family), width - hostBits));
            var end = start | HostMask(hostBits);
            if (end >= Last)
            {
                return networks;
            }

            start = end + 1;
        }
    }

    /// <summary>Kestrel reports IPv4 clients on a dual-mode socket as <c>::ffff:a.b.c.d</c>; lists name them as IPv4.</summary>
    internal static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool TryParseNetwork(string network, string mask, out IpAddressRange range, out string reason)
    {
        range = null!;
        if (!TryParseAddress(network, out var address))
        {
            reason = $"'{network}' before '/' is not an IP address";
            return false;
        }

        address = Normalize(address);
        var width = BitWidth(address.AddressFamily);
        if (!TryParsePrefix(address, mask, out var prefix))
        {
            reason = $"'{mask}' after '/' is neither a prefix length (0-{width}) nor a contiguous IPv4 mask";
            return false;
        }

        var hostMask = HostMask(width - prefix);
        var value = ToNumber(address);
        range = new IpAddressRange(address.AddressFamily, value & ~hostMask, value | hostMask);
        reason = "";
        return true;
    }

    private static bool TryParseSpan(string from, string to, out IpAddressRange range, out string reason)
    {
        range = null!;
        if (!TryParseAddress(from, out var first))
        {
            reason = $"'{from}' before '-' is not an IP address";
            return false;
        }

        first = Normalize(first);
        IPAddress? last;
        if (first.AddressFamily == AddressFamily.InterNetwork
            && byte.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var lastOctet))
        {
            var bytes = first.GetAddressBytes();
            bytes[^1] = lastOctet;
            last = new IPAddress(bytes);
        }
        else if (!TryParseAddress(to, out last))
        {
            reason = $"'{to}' after '-' is not an IP address (or, for IPv4, a last octet 0-255)";
            return false;
        }

        last = Normalize(last);
        if (last.AddressFamily != first.AddressFamily)
        {
            reason = $"'{from}' and '{to}' are not the same IP version";
            return false;
        }

        var (low, high) = (ToNumber(first), ToNumber(last));
        if (low > high)
        {
            reason = $"the range starts at {from}, after its end {to}";
            return false;
        }

        range = new IpAddressRange(first.AddressFamily, low, high);
        reason = "";
        return true;
    }

    private static bool TryParsePrefix(IPAddress network, string mask, out int prefix)
    {
        if (int.TryParse(mask, NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            return prefix <= BitWidth(network.AddressFamily);
        }

        if (network.AddressFamily != AddressFamily.InterNetwork
            || !TryParseAddress(mask, out var dotted) || dotted.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var bits = (uint)ToNumber(dotted);
        prefix = BitOperations.PopCount(bits);
        // A usable mask is ones followed by zeros, so its complement has the form 2^n - 1.
        var complement = ~bits;
        return (complement & (complement + 1)) == 0;
    }

    // IPAddress.TryParse also takes shorthand such as "10" (0.0.0.10) or "10.1" (10.0.0.1), which in a
    // security list is far more likely a typo than intent.
    private static bool TryParseAddress(string text, out IPAddress address) =>
        IPAddress.TryParse(text, out address!) && (text.Contains(':') || text.Count(c => c == '.') == 3);

    private static UInt128 HostMask(int hostBits) =>
        hostBits == 0 ? UInt128.Zero : (hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1);

    private static int BitWidth(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    private static UInt128 ToNumber(IPAddress address)
    {
        UInt128 value = 0;
        foreach (var b in Normalize(address).GetAddressBytes())
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static IPAddress ToAddress(UInt128 value, AddressFamily family)
    {
        var bytes = new byte[BitWidth(family) / 8];
        for (var i = bytes.Length - 1; i >= 0; i--, value >>= 8)
        {
            bytes[i] = (byte)value;
        }

        return new IPAddress(bytes);
    }
}
