namespace MicroDemo.Gateway.Routing;

/// <summary>Name handling for raw <c>name=value</c> query parameters; names compare in decoded form, as Ocelot's parsers do.</summary>
internal static class QueryParameterName
{
    public static ReadOnlySpan<char> Of(ReadOnlySpan<char> parameter)
    {
        var equals = parameter.IndexOf('=');
        return equals < 0 ? parameter : parameter[..equals];
    }

    public static bool IsPlaceholder(ReadOnlySpan<char> name, PlaceholderValues placeholders, ReadOnlySpan<Placeholder> extraValues, StringComparison comparison)
    {
        foreach (var placeholder in placeholders)
        {
            if (Equals(name, placeholder.Name, comparison))
            {
                return true;
            }
        }

        foreach (var placeholder in extraValues)
        {
            if (Equals(name, placeholder.Name, comparison))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Equals(ReadOnlySpan<char> rawName, ReadOnlySpan<char> other, StringComparison comparison)
    {
        // Decoding allocates, so only names that actually carry an escape pay for it.
        if (rawName.IndexOfAny('%', '+') < 0 && other.IndexOfAny('%', '+') < 0)
        {
            return rawName.Equals(other, comparison);
        }

        return Decode(rawName).Equals(Decode(other), comparison);
    }

    private static string Decode(ReadOnlySpan<char> raw) => Uri.UnescapeDataString(raw.ToString().Replace('+', ' '));
}
