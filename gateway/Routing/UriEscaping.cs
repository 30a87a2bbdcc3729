using System.Buffers;
using System.Text;

namespace MicroDemo.Gateway.Routing;

/// <summary>
/// Escapes a built downstream path or query so it can be appended to <c>scheme://host:port</c>.
/// Characters already valid in that URI component and existing <c>%XX</c> escapes are kept, so
/// values captured from an escaped request pass through unchanged (no double escaping). This
/// mirrors <see cref="PathString.ToUriComponent()"/> for paths; the framework has no public
/// equivalent for a query component, hence our own.
/// </summary>
internal static class UriEscaping
{
    // RFC 3986 pchar = unreserved / sub-delims / ":" / "@"; plus "/" as segment separator.
    private static readonly SearchValues<char> PathChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/");

    // query = *( pchar / "/" / "?" )
    private static readonly SearchValues<char> QueryChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?");

    public static void AppendPath(ref PooledCharBuilder builder, scoped ReadOnlySpan<char> value) => Append(ref builder, value, PathChars);

    public static void AppendQuery(ref PooledCharBuilder builder, scoped ReadOnlySpan<char> value) => Append(ref builder, value, QueryChars);

    private static void Append(ref PooledCharBuilder builder, scoped ReadOnlySpan<char> value, SearchValues<char> allowed)
    {
        Span<byte> utf8 = stackalloc byte[4];
        while (!value.IsEmpty)
        {
            var invalid = value.IndexOfAnyExcept(allowed);
            if (invalid < 0)
            {
                builder.Append(value);
                return;
            }

            builder.Append(value[..invalid]);
            value = value[invalid..];
            if (IsPercentEncoded(value))
            {
                builder.Append(value[..3]);
                value = value[3..];
                continue;
            }

            // A lone surrogate cannot be UTF-8 encoded; send U+FFFD like the framework's encoders do.
            if (Rune.DecodeFromUtf16(value, out var rune, out var consumed) != OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
                consumed = Math.Max(consumed, 1);
            }

            var byteCount = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..byteCount])
            {
                builder.Append('%');
                builder.Append(HexUpper(b >> 4));
                builder.Append(HexUpper(b & 0xF));
            }

            value = value[consumed..];
        }
    }

    private static bool IsPercentEncoded(ReadOnlySpan<char> value)
        => value.Length >= 3 && value[0] == '%' && char.IsAsciiHexDigit(value[1]) && char.IsAsciiHexDigit(value[2]);

    private static char HexUpper(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
