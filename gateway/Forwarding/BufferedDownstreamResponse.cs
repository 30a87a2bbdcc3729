using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// A downstream response held in memory (status, headers as sent to the client, body) so the output cache can
/// store it and replay it later without calling the downstream.
/// </summary>
public sealed record BufferedDownstreamResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, StringValues>> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>
    /// Snapshot of a response that <see cref="HttpForwarder.CopyResponseAsync"/> just streamed with
    /// <paramref name="capture"/>; null when the body was over the capture limit or did not complete.
    /// </summary>
    public static BufferedDownstreamResponse? FromForwarded(HttpResponse response, ResponseBodyCapture capture)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(capture);
        if (!capture.IsComplete)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, StringValues>>(response.Headers.Count);
        foreach (var header in response.Headers)
        {
            // Date describes the moment of sending and framing (Transfer-Encoding: chunked added by the server)
            // describes that one transfer; the server produces fresh ones on replay.
            if (!HeaderRules.IsHopByHop(header.Key)
                && !string.Equals(header.Key, Microsoft.Net.Http.Headers.HeaderNames.Date, StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(header);
            }
        }

        return new BufferedDownstreamResponse(response.StatusCode, headers, capture.Body.ToArray());
    }

    public async Task WriteToAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = StatusCode;
        foreach (var header in Headers)
        {
            response.Headers[header.Key] = header.Value;
        }

        if (!Body.IsEmpty)
        {
            await response.Body.WriteAsync(Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
