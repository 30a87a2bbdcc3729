using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Headers;

/// <summary>
/// Ocelot's <c>RequestIdKey</c>: the client's request id (if sent) becomes <see cref="HttpContext.TraceIdentifier"/>;
/// otherwise the gateway's trace identifier is put under that header name so the downstream service sees one.
/// </summary>
public static class RequestIdHeader
{
    /// <param name="context">The current request; its headers are the ones copied downstream.</param>
    /// <param name="requestIdKey">The route's <c>RequestIdKey</c>, else the global one; null or empty does nothing.</param>
    public static void Apply(HttpContext context, string? requestIdKey)
    {
        if (string.IsNullOrEmpty(requestIdKey))
        {
            return;
        }

        var headers = context.Request.Headers;
        if (headers.TryGetValue(requestIdKey, out var values) && !StringValues.IsNullOrEmpty(values) && !string.IsNullOrEmpty(values[0]))
        {
            context.TraceIdentifier = values[0]!;
            return;
        }

        headers[requestIdKey] = context.TraceIdentifier;
    }
}
