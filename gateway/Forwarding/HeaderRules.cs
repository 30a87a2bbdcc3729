using System.Buffers;
using System.Collections.Frozen;
using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>Which headers cross the gateway, in both directions, and how their values are vetted.</summary>
internal static class HeaderRules
{
    /// <summary>
    /// Connection-level headers that describe one hop, not the message (RFC 9110 §7.6.1), plus the proxy and
    /// HTTP/2 negotiation ones. Headers merely named inside <c>Connection:</c> are not dropped dynamically
    /// (the list covers the ones used in practice, and the lookup stays a single frozen-set probe).
    /// </summary>
    private static readonly FrozenSet<string> HopByHop = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        HeaderNames.Connection,
        HeaderNames.TransferEncoding,
        HeaderNames.KeepAlive,
        HeaderNames.Upgrade,
        "Proxy-Connection",
        HeaderNames.ProxyAuthenticate,
        "Proxy-Authentication-Info",
        HeaderNames.ProxyAuthorization,
        "Proxy-Features",
        "Proxy-Instruction",
        "Security-Scheme",
        "ALPN",
        "Close",
        "HTTP2-Settings",
        HeaderNames.UpgradeInsecureRequests,
        HeaderNames.TE,
        HeaderNames.AltSvc);

    // Printable ASCII plus horizontal tab is what HTTP/1.1 field values may carry without surprises.
    private static readonly SearchValues<char> SafeValueChars = SearchValues.Create(
        "\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n");

    public static bool IsHopByHop(string name) => HopByHop.Contains(name);

    /// <summary>
    /// Copies the client's headers onto the outgoing request. Host is not copied: like Ocelot, the outgoing Host
    /// comes from the destination URI. Content headers go on the content; without a body there is nothing for
    /// them to describe and they are dropped.
    /// </summary>
    public static void CopyRequestHeaders(HttpContext context, HttpRequestMessage request, string routeName)
    {
        var incoming = context.Request;
        var isHttp2OrLater = !HttpProtocol.IsHttp10(incoming.Protocol) && !HttpProtocol.IsHttp11(incoming.Protocol);
        // RFC 9112 §6.3: with both present, Transfer-Encoding wins; forwarding Content-Length too invites smuggling.
        var hasTransferEncoding = !StringValues.IsNullOrEmpty(incoming.Headers.TransferEncoding);

        foreach (var header in incoming.Headers)
        {
            var name = header.Key;
            if (name.Length == 0 || name[0] == ':' || HopByHop.Contains(name) || string.Equals(name, HeaderNames.Host, StringComparison.OrdinalIgnoreCase))
            {
                // TE is hop-by-hop, but gRPC over HTTP/2 needs "TE: trailers" end to end.
                if (isHttp2OrLater && string.Equals(name, HeaderNames.TE, StringComparison.OrdinalIgnoreCase) && ContainsTrailers(header.Value))
                {
                    request.Headers.TryAddWithoutValidation(HeaderNames.TE, "trailers");
                }

                continue;
            }

            if (hasTransferEncoding && string.Equals(name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var values = header.Value;
            if (!AreSafe(values))
            {
                values = VetValues(values, name, routeName);
                if (values.Count == 0)
                {
                    continue;
                }
            }

            if (!AddTo(request.Headers, name, values) && request.Content is not null)
            {
                AddTo(request.Content.Headers, name, values);
            }
        }
    }

    /// <summary>Copies downstream response headers to the client response, once each and exactly as received.</summary>
    public static void CopyResponseHeaders(HttpResponseMessage response, HttpResponse outgoing)
    {
        var status = (int)response.StatusCode;
        var dropZeroContentLength = status < 200 || status == StatusCodes.Status204NoContent || status == StatusCodes.Status205ResetContent;
        var hasTransferEncoding = response.Headers.NonValidated.Contains(HeaderNames.TransferEncoding);

        CopyResponseHeaders(response.Headers.NonValidated, outgoing.Headers, dropContentLength: false);
        CopyResponseHeaders(
            response.Content.Headers.NonValidated,
            outgoing.Headers,
            dropContentLength: hasTransferEncoding || (dropZeroContentLength && response.Content.Headers.NonValidated.Contains(HeaderNames.ContentLength)));
    }

    public static void CopyTrailers(HttpResponseMessage response, HttpResponse outgoing)
    {
        foreach (var trailer in response.TrailingHeaders.NonValidated)
        {
            if (!HopByHop.Contains(trailer.Key) && TryGetSafeValues(trailer.Value, out var values))
            {
                outgoing.AppendTrailer(trailer.Key, values);
            }
        }
    }

    private static void CopyResponseHeaders(HttpHeadersNonValidated source, IHeaderDictionary target, bool dropContentLength)
    {
        foreach (var header in source)
        {
            var name = header.Key;
            if (HopByHop.Contains(name) || (dropContentLength && string.Equals(name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (!TryGetSafeValues(header.Value, out var values))
            {
                continue;
            }

            if (!target.TryGetValue(name, out var existing) || existing.Count == 0)
            {
                target[name] = values;
            }
            else if (!string.Equals(name, HeaderNames.StrictTransportSecurity, StringComparison.OrdinalIgnoreCase))
            {
                // A value the gateway itself set earlier is kept, the downstream's is appended; HSTS set by the
                // gateway wins outright (its policy, not the service's).
                target[name] = StringValues.Concat(existing, values);
            }
        }
    }

    private static bool TryGetSafeValues(HeaderStringValues source, out StringValues values)
    {
        if (source.Count == 1)
        {
            var single = source.ToString();
            values = single.AsSpan().ContainsAny(LineBreaks) ? StringValues.Empty : new StringValues(single);
            return values.Count != 0;
        }

        var list = new List<string>(source.Count);
        foreach (var value in source)
        {
            // A CR or LF inside a value would let a downstream split the client's response.
            if (!value.AsSpan().ContainsAny(LineBreaks))
            {
                list.Add(value);
            }
        }

        values = list.ToArray();
        return values.Count != 0;
    }

    private static bool AreSafe(StringValues values)
    {
        if (values.Count == 1)
        {
            return !values.ToString().AsSpan().ContainsAnyExcept(SafeValueChars);
        }

        foreach (var value in values)
        {
            if (value is not null && value.AsSpan().ContainsAnyExcept(SafeValueChars))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Slow path: drops values with CR/LF and rejects non-ASCII ones (Ocelot answers those with 400).</summary>
    private static StringValues VetValues(StringValues values, string name, string routeName)
    {
        var kept = new List<string>(values.Count);
        foreach (var value in values)
        {
            if (value is null || value.AsSpan().ContainsAny(LineBreaks))
            {
                continue;
            }

            if (!System.Text.Ascii.IsValid(value))
            {
                throw new ForwardingException(
                    ForwardingError.BadRequest,
                    StatusCodes.Status400BadRequest,
                    routeName,
                    $"The request header '{name}' contains non-ASCII characters and cannot be forwarded.");
            }

            kept.Add(value);
        }

        return kept.ToArray();
    }

    private static bool AddTo(HttpHeaders headers, string name, StringValues values)
        => values.Count == 1
            ? headers.TryAddWithoutValidation(name, values.ToString())
            : headers.TryAddWithoutValidation(name, values.ToArray()!);

    private static bool ContainsTrailers(StringValues values)
    {
        foreach (var value in values)
        {
            if (value is not null && value.Contains("trailers", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
