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

    // RFC 3986 unreserved: an escape of one of these means the same as the character itself (§2.3).
    private static readonly SearchValues<char> UnreservedChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    public static void AppendPath(ref PooledCharBuilder builder, scoped ReadOnlySpan<char> value) => Append(ref builder, value, PathChars, decodeUnreserved: false);

    public static void AppendQuery(ref PooledCharBuilder builder, scoped ReadOnlySpan<char> value) => Append(ref builder, value, QueryChars, decodeUnreserved: false);

    /// <summary>
    /// Like <see cref="AppendPath"/> for a path as the client sent it, except that an escaped unreserved character
    /// ("%41", "%7e") is written plain, as RFC 3986 §6.2.2.2 normalises it: templates are written with the plain
    /// character, and both forms mean the same to any server. Every other escape keeps the client's spelling.
    /// </summary>
    public static void AppendRequestPath(ref PooledCharBuilder builder, scoped ReadOnlySpan<char> rawPath) => Append(ref builder, rawPath, PathChars, decodeUnreserved: true);

    /// <summary>True when <paramref name="rawPath"/> has no escape and nothing to escape: <see cref="AppendRequestPath"/> would copy it unchanged.</summary>
    public static bool IsNormalRequestPath(ReadOnlySpan<char> rawPath) => !rawPath.ContainsAnyExcept(PathChars);

    private static void Append(ref PooledCharBuilder builder, scoped ReadOnlySpan<char> value, SearchValues<char> allowed, bool decodeUnreserved)
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
            if (TryDecodeEscape(value, out var decoded))
            {
                if (decodeUnreserved && UnreservedChars.Contains((char)decoded))
                {
                    builder.Append((char)decoded);
                }
                else
                {
                    builder.Append(value[..3]);
                }

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

    /// <summary>Reads the byte of a "%XX" escape at the start of <paramref name="value"/>; false when it does not start with one.</summary>
    public static bool TryDecodeEscape(ReadOnlySpan<char> value, out byte decoded)
    {
        if (value.Length >= 3 && value[0] == '%' && char.IsAsciiHexDigit(value[1]) && char.IsAsciiHexDigit(value[2]))
        {
            decoded = (byte)((HexValue(value[1]) << 4) | HexValue(value[2]));
            return true;
        }

        decoded = 0;
        return false;
    }

    private static int HexValue(char hex) => hex <= '9' ? hex - '0' : (hex | 0x20) - 'a' + 10;

    private static char HexUpper(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
