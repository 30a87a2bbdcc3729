namespace MicroDemo.Gateway.Routing;

/// <summary>
/// One placeholder captured for a request. <see cref="Name"/> is written without braces
/// (<c>id</c> for <c>{id}</c>). <see cref="Value"/> is what Ocelot would substitute: path values in
/// their URI-escaped form, query values as sent, header values as sent.
/// </summary>
public readonly record struct Placeholder(string Name, string Value);

/// <summary>The placeholder values of one matched request, in template order (path, query, then headers).</summary>
public readonly struct PlaceholderValues
{
    private readonly Placeholder[]? _items;

    public PlaceholderValues(Placeholder[] items) => _items = items;

    public static PlaceholderValues Empty => default;

    public int Count => _items?.Length ?? 0;

    public Placeholder this[int index] => (_items ?? [])[index];

    public ReadOnlySpan<Placeholder> AsSpan() => _items;

    /// <summary>Names are compared ordinally, as Ocelot substitutes <c>{name}</c> with a case-sensitive replace.</summary>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
    {
        foreach (var item in AsSpan())
        {
            if (string.Equals(item.Name, name, StringComparison.Ordinal))
            {
                value = item.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public ReadOnlySpan<Placeholder>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();
}
