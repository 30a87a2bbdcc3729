using System.Net;

namespace MicroDemo.Gateway.Security;

/// <summary>A compiled <c>IPAllowedList</c> or <c>IPBlockedList</c>: membership is a scan over a few ranges.</summary>
public sealed class IpAddressSet
{
    public static IpAddressSet Empty { get; } = new([]);

    private readonly IReadOnlyList<IpAddressRange> _ranges;

    public IpAddressSet(IReadOnlyList<IpAddressRange> ranges) => _ranges = ranges;

    public bool IsEmpty => _ranges.Count == 0;

    public IReadOnlyList<IpAddressRange> Ranges => _ranges;

    /// <summary>
    /// Compiles list entries. Every unparseable entry adds one message to <paramref name="errors"/>
    /// (Ocelot silently ignores them, which quietly widens an allow list's meaning).
    /// </summary>
    /// <param name="settingName">Where the list came from, e.g. <c>Routes[2].SecurityOptions.IPAllowedList</c>.</param>
    public static IpAddressSet Parse(IEnumerable<string>? entries, string settingName, ICollection<string> errors)
    {
        var ranges = new List<IpAddressRange>();
        var index = 0;
        foreach (var entry in entries ?? [])
        {
            if (IpAddressRange.TryParse(entry, out var range, out var reason))
            {
                ranges.Add(range);
            }
            else
            {
                errors.Add($"{settingName}[{index}] '{entry}' is invalid: {reason}.");
            }

            index++;
        }

        return ranges.Count == 0 ? Empty : new IpAddressSet(ranges);
    }

    public bool Contains(IPAddress address)
    {
        foreach (var range in _ranges)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
