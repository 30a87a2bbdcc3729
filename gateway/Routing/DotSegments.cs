namespace MicroDemo.Gateway.Routing;

/// <summary>
/// Finds "." and ".." segments in a path as the client sent it, including those a backend would only see after
/// decoding: "%2e%2e", "%252e%252e" (decoded twice), "%c0%ae" (an overlong UTF-8 '.' that lenient decoders
/// accept), ".." followed by a ";parameter" (Tomcat's "..;/"), and segments split by an escaped '/' or '\'.
/// The gateway refuses such a path rather than forward it: whatever the backend makes of it, it must not be able
/// to walk out of a route's downstream prefix.
/// </summary>
internal static class DotSegments
{
    // How often a segment is decoded while looking for a hidden dot-segment: more than any chain of
    // decoders plausibly behind the gateway undoes, few enough to bound the work a hostile path causes.
    private const int MaxDecodings = 4;

    public static bool Contains(ReadOnlySpan<char> rawPath)
    {
        // Every form listed above needs a '.' or a '%'; most paths have neither.
        if (!rawPath.ContainsAny('.', '%'))
        {
            return false;
        }

        foreach (var range in rawPath.Split('/'))
        {
            if (HidesDotSegment(rawPath[range]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HidesDotSegment(ReadOnlySpan<char> segment)
    {
        if (!segment.ContainsAny('.', '%'))
        {
            return false;
        }

        if (!segment.Contains('%'))
        {
            return HasDotPart(segment);
        }

        // Each byte of an escape becomes one char, so overlong UTF-8 forms stay visible as byte sequences.
        var text = segment.ToString();
        for (var decodings = 0; decodings <= MaxDecodings; decodings++)
        {
            if (HasDotPart(WithOverlongAsciiDecoded(text)))
            {
                return true;
            }

            if (!text.Contains('%'))
            {
                return false;
            }

            text = DecodeOnce(text);
        }

        return false;
    }

    // A decoded segment may contain '/' or '\' (which some servers treat as '/'); any part, cut at its first ';'.
    private static bool HasDotPart(ReadOnlySpan<char> decoded)
    {
        foreach (var range in decoded.SplitAny('/', '\\'))
        {
            var part = decoded[range];
            var parameters = part.IndexOf(';');
            if (parameters >= 0)
            {
                part = part[..parameters];
            }

            if (part is "." or "..")
            {
                return true;
            }
        }

        return false;
    }

    private static string DecodeOnce(string text)
    {
        var builder = new PooledCharBuilder(stackalloc char[128]);
        try
        {
            var rest = text.AsSpan();
            while (!rest.IsEmpty)
            {
                if (UriEscaping.TryDecodeEscape(rest, out var decoded))
                {
                    builder.Append((char)decoded);
                    rest = rest[3..];
                }
                else
                {
                    builder.Append(rest[0]);
                    rest = rest[1..];
                }
            }

            return builder.ToString();
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>
    /// Replaces overlong UTF-8 encodings of ASCII characters (one char per byte, as <see cref="DecodeOnce"/>
    /// leaves them) with the character a lenient decoder would produce: C0 AE and E0 80 AE are '.'.
    /// </summary>
    private static string WithOverlongAsciiDecoded(string text)
    {
        if (!text.AsSpan().ContainsAny('\u00C0', '\u00C1', '\u00E0') && !text.Contains('\u00F0'))
        {
            return text;
        }

        var builder = new PooledCharBuilder(stackalloc char[128]);
        try
        {
            for (var i = 0; i < text.Length; i++)
            {
                var length = OverlongLength(text.AsSpan(i), out var ascii);
                builder.Append(length > 0 ? ascii : text[i]);
                i += Math.Max(length, 1) - 1;
            }

            return builder.ToString();
        }
        finally
        {
            builder.Dispose();
        }
    }

    private static int OverlongLength(ReadOnlySpan<char> bytes, out char ascii)
    {
        ascii = '\0';
        var length = bytes[0] switch
        {
            '\u00C0' or '\u00C1' => 2,
            '\u00E0' => 3,
            '\u00F0' => 4,
            _ => 0,
        };
        if (length == 0 || bytes.Length < length)
        {
            return 0;
        }

        var value = bytes[0] & (0x7F >> length);
        for (var i = 1; i < length; i++)
        {
            if (bytes[i] is < '\u0080' or > '\u00BF')
            {
                return 0;
            }

            value = (value << 6) | (bytes[i] & 0x3F);
        }

        if (value >= 0x80)
        {
            return 0;
        }

        ascii = (char)value;
        return length;
    }
}
