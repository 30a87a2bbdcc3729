using System.Globalization;
using System.Text.RegularExpressions;

namespace MicroDemo.Gateway.Configuration;

/// <summary>
/// Parses Ocelot's rate-limit durations: a number (decimals allowed) followed by <c>ms</c>, <c>s</c>,
/// <c>m</c>, <c>h</c> or <c>d</c>; a bare number means milliseconds.
/// </summary>
public static partial class TimeSpanText
{
    public const string FormatDescription =
        "a number followed by ms, s, m, h or d (e.g. 500ms, 1s, 1.5m); a bare number means milliseconds";

    [GeneratedRegex(@"^(?<value>\d+(\.\d+)?)(?<unit>ms|s|m|h|d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is not { Success: true })
        {
            return false;
        }

        var number = double.Parse(match.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var milliseconds = match.Groups["unit"].Value switch
        {
            "s" => number * 1_000,
            "m" => number * 60_000,
            "h" => number * 3_600_000,
            "d" => number * 86_400_000,
            _ => number,
        };
        if (milliseconds > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }
}
