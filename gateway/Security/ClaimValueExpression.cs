using System.Globalization;
using System.Security.Claims;

namespace MicroDemo.Gateway.Security;

/// <summary>
/// A compiled claims expression as used by <c>AddClaimsToRequest</c>, <c>AddHeadersToRequest</c>,
/// <c>AddQueriesToRequest</c> and <c>ChangeDownstreamPathTemplate</c>:
/// <c>Claims[type] &gt; value</c> takes the whole value, <c>Claims[type] &gt; value[index] &gt; delimiters</c>
/// splits it on any of the delimiter characters and takes one part.
/// </summary>
public sealed record ClaimValueExpression(string ClaimType, int Index, string Delimiters)
{
    private const string Expected = "expected 'Claims[<type>] > value' or 'Claims[<type>] > value[<index>] > <delimiter>'";

    public static bool TryParse(string? expression, out ClaimValueExpression parsed, out string reason)
    {
        parsed = null!;
        var parts = (expression ?? "").Split('>', StringSplitOptions.TrimEntries);
        if (parts.Length is < 2 or > 3)
        {
            reason = Expected;
            return false;
        }

        if (!TryReadBracketed(parts[0], "Claims", out var claimType) || claimType.Trim().Length == 0)
        {
            reason = $"'{parts[0]}' should name the claim as Claims[<type>]; {Expected}";
            return false;
        }

        if (parts[1].Equals("value", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Length == 3)
            {
                reason = $"a delimiter only makes sense with value[<index>]; {Expected}";
                return false;
            }

            parsed = new ClaimValueExpression(claimType.Trim(), 0, "");
            reason = "";
            return true;
        }

        if (!TryReadBracketed(parts[1], "value", out var indexText)
            || !int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            reason = $"'{parts[1]}' should be value or value[<non-negative integer>]; {Expected}";
            return false;
        }

        if (parts.Length < 3 || parts[2].Length == 0)
        {
            reason = $"value[{index}] needs a delimiter after a further '>'; {Expected}";
            return false;
        }

        parsed = new ClaimValueExpression(claimType.Trim(), index, parts[2]);
        reason = "";
        return true;
    }

    /// <summary>
    /// Compiles one settings dictionary (e.g. a route's <c>AddHeadersToRequest</c>); each bad entry adds a
    /// message naming <paramref name="settingName"/> and the key to <paramref name="errors"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, ClaimValueExpression> ParseAll(
        IReadOnlyDictionary<string, string>? expressions, string settingName, ICollection<string> errors)
    {
        var compiled = new Dictionary<string, ClaimValueExpression>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, expression) in expressions ?? new Dictionary<string, string>())
        {
            if (TryParse(expression, out var parsed, out var reason))
            {
                compiled[key] = parsed;
            }
            else
            {
                errors.Add($"{settingName}.{key}: '{expression}' is not a claims expression: {reason}.");
            }
        }

        return compiled;
    }

    /// <summary>
    /// Reads the value from the user's claims. All claims of the type are joined with ',' first, then split.
    /// </summary>
    public bool TryResolve(ClaimsPrincipal user, out string value, out string reason)
    {
        value = "";
        var values = user.Claims.Where(c => c.Type == ClaimType).Select(c => c.Value).ToList();
        if (values.Count == 0)
        {
            reason = $"the user has no '{ClaimType}' claim";
            return false;
        }

        var joined = string.Join(',', values);
        if (Delimiters.Length == 0)
        {
            value = joined;
            reason = "";
            return true;
        }

        var pieces = joined.Split(Delimiters.ToCharArray());
        if (Index >= pieces.Length)
        {
            reason = $"the '{ClaimType}' claim has {pieces.Length} part(s) split by '{Delimiters}', no part {Index}";
            return false;
        }

        value = pieces[Index];
        reason = "";
        return true;
    }

    private static bool TryReadBracketed(string text, string name, out string inner)
    {
        inner = "";
        if (!text.StartsWith(name + "[", StringComparison.OrdinalIgnoreCase) || !text.EndsWith(']'))
        {
            return false;
        }

        inner = text[(name.Length + 1)..^1];
        return true;
    }
}
