using System.Net;
using MicroDemo.Gateway.LoopDetection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// Forwards one client request to one downstream URI, streaming both bodies. The work is split into phases
/// so the gateway pipeline can run its policies in between:
/// <list type="number">
/// <item><see cref="CreateRequest"/> builds the outgoing request (request header transforms go after it);</item>
/// <item><see cref="SendAsync"/> returns once the response headers arrived (QoS reads the status, response
/// header transforms edit <see cref="DownstreamResponse.Message"/>);</item>
/// <item><see cref="CopyResponseAsync"/> streams status, headers, body and trailers to the client, optionally
/// keeping a copy of the body for the output cache.</item>
/// </list>
/// A failure before the client response started is thrown as an (already logged) <see cref="ForwardingException"/>;
/// write it with <see cref="WriteErrorAsync"/>. A failure after that aborts the client connection, so a
/// truncated body is never mistaken for a complete one.
/// </summary>
public sealed class HttpForwarder(GatewayInstance self, ILogger<HttpForwarder> logger)
{
    // RFC 9113 §7 error codes for resetting an HTTP/2 or HTTP/3 stream.
    private const int Http2InternalError = 0x2;
    private const int Http2Cancel = 0x8;

    /// <summary>Phase 1: the outgoing request for <paramref name="destination"/> (the full downstream URI, query included).</summary>
    public HttpRequestMessage CreateRequest(HttpContext context, Uri destination, DownstreamRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);

        var upgrade = DetectUpgrade(context);
        var incoming = context.Request;
        if (upgrade == UpgradeKind.None && HttpMethods.IsConnect(incoming.Method))
        {
            throw Report(new ForwardingException(ForwardingError.BadRequest, StatusCodes.Status400BadRequest, options.RouteName, "CONNECT requests are not forwarded."));
        }

        var request = new HttpRequestMessage
        {
            RequestUri = ToHttpScheme(destination),
        };

        if (upgrade == UpgradeKind.None)
        {
            // Parse returns the shared static instances for the standard methods, so nothing is allocated.
            request.Method = options.MethodOverride ?? HttpMethod.Parse(incoming.Method);
            request.Version = options.Version;
            request.VersionPolicy = options.VersionPolicy;
            if (HasBody(context))
            {
                request.Content = new StreamingRequestContent(incoming.Body, autoFlush: IsStreamingRequest(context));
            }
        }
        else
        {
            // The WebSocket handshake is HTTP/1.1 only toward the downstream (Kestrel's services accept it everywhere).
            request.Method = HttpMethod.Get;
            request.Version = HttpVersion.Version11;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        try
        {
            HeaderRules.CopyRequestHeaders(context, request, options.RouteName);
        }
        catch (ForwardingException error)
        {
            request.Dispose();
            throw Report(error);
        }

        ForwardedHeadersWriter.Apply(context, request.Headers, options.ForwardedHeaders);
        // RFC 9110 §7.6.3 asks every proxy for it; the gateway refuses a request that carries its own entry (508).
        ForwardedHeadersWriter.Append(incoming.Headers, request.Headers, ViaHeader.Name, self.ViaEntry(incoming.Protocol));
        if (upgrade != UpgradeKind.None)
        {
            // The generic rules dropped these as hop-by-hop; the handshake needs them on this hop.
            request.Headers.TryAddWithoutValidation(HeaderNames.Connection, "Upgrade");
            request.Headers.TryAddWithoutValidation(HeaderNames.Upgrade, "websocket");
            if (upgrade == UpgradeKind.Http2WebSocket)
            {
                // RFC 8441 has no key; an HTTP/1.1 handshake needs one, and its Accept answer is ours to drop.
                request.Headers.TryAddWithoutValidation(HeaderNames.SecWebSocketKey, Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
            }
        }

        // Server-sent events and other slow streams must not wait in a response buffer.
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return request;
    }

    /// <summary>Phase 2: sends the request; returns once the downstream's response headers arrived.</summary>
    /// <param name="cancellationToken">An extra deadline of the caller's (e.g. a QoS timeout), besides the route timeout and the client's.</param>
    public async Task<DownstreamResponse> SendAsync(HttpContext context, HttpRequestMessage request, HttpMessageInvoker invoker, DownstreamRequestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(options);

        var cancellation = ForwardingCancellation.Rent(context.RequestAborted, cancellationToken, options.Timeout);

        var requestBody = request.Content as StreamingRequestContent;
        HttpResponseMessage message;
        try
        {
            // HttpMessageInvoker (unlike HttpClient's default) never buffers: it returns after the headers.
            message = await invoker.SendAsync(request, cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var error = Classify(context, requestBody, ex, options.RouteName);
            cancellation.Return();
            throw Report(error);
        }

        // The route timeout covers the wait for headers only; the body may stream for as long as it needs.
        cancellation.StopTimeout();
        // Only a 101 answer opens a tunnel (the downstream hop is HTTP/1.1 even for an RFC 8441 client).
        var upgrade = message.StatusCode == HttpStatusCode.SwitchingProtocols ? DetectUpgrade(context) : UpgradeKind.None;
        return new DownstreamResponse(message, options, cancellation, requestBody, upgrade);
    }

    /// <summary>
    /// Phase 3: copies status, headers, body and trailers to the client. With <paramref name="capture"/> a copy
    /// of the body is kept (up to its limit) for the output cache while it streams.
    /// </summary>
    public async Task CopyResponseAsync(HttpContext context, DownstreamResponse response, ResponseBodyCapture? capture = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);

        var message = response.Message;
        if (response.Upgrade != UpgradeKind.None && message.StatusCode == HttpStatusCode.SwitchingProtocols)
        {
            await TunnelAsync(context, response).ConfigureAwait(false);
            return;
        }

        var outgoing = context.Response;
        var status = (int)message.StatusCode;
        outgoing.StatusCode = status;
        if (message.ReasonPhrase is { } reason && IsHttp1(context.Request.Protocol)
            && !string.Equals(reason, ReasonPhrases.GetReasonPhrase(status), StringComparison.Ordinal))
        {
            // HTTP/2 and later have no reason phrase; HTTP/1.x clients get a custom one as the service sent it.
            context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = reason;
        }

        HeaderRules.CopyResponseHeaders(message, outgoing);

        var cancellation = response.Cancellation.Token;
        StreamCopyResult result;
        try
        {
            var source = await message.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
            result = await StreamCopier.CopyAsync(source, outgoing.Body, autoFlush: false, gather: true, capture, cancellation).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            result = new StreamCopyResult(StreamCopyOutcome.InputError, 0, ex);
        }

        if (result.Outcome == StreamCopyOutcome.Success)
        {
            if (outgoing.SupportsTrailers())
            {
                HeaderRules.CopyTrailers(message, outgoing);
            }
        }
        else
        {
            capture?.Abandon();
            HandleResponseBodyFailure(context, response, result);
        }

        await FinishUploadAsync(response).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a gateway-made error as RFC 9457 problem+json naming the route and the reason (no stack trace).
    /// A client that went away gets only the 499 status (there is nobody to read a body).
    /// </summary>
    public static Task WriteErrorAsync(HttpContext context, ForwardingException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);

        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        response.Clear();
        response.StatusCode = error.StatusCode;
        if (error.Error == ForwardingError.ClientCanceled)
        {
            return Task.CompletedTask;
        }

        return TypedResults.Problem(
            detail: $"Route '{error.RouteName}': {error.Message}",
            statusCode: error.StatusCode,
            extensions: new Dictionary<string, object?> { ["route"] = error.RouteName, ["reason"] = error.Error.ToString() })
            .ExecuteAsync(context);
    }

    private async Task TunnelAsync(HttpContext context, DownstreamResponse response)
    {
        var message = response.Message;
        var outgoing = context.Response;
        var route = response.Options.RouteName;
        var cancellation = response.Cancellation;

        HeaderRules.CopyResponseHeaders(message, outgoing);
        Stream client;
        if (response.Upgrade == UpgradeKind.Http11WebSocket)
        {
            // Kestrel writes the 101 status and "Connection: Upgrade"; the protocol name is ours to restore.
            outgoing.Headers.Upgrade = "websocket";
            client = await context.Features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync().ConfigureAwait(false);
        }
        else
        {
            // RFC 8441: success is 200 and there is no key/accept exchange on the HTTP/2 side.
            outgoing.StatusCode = StatusCodes.Status200OK;
            outgoing.Headers.Remove(HeaderNames.SecWebSocketAccept);
            client = await context.Features.GetRequiredFeature<IHttpExtendedConnectFeature>().AcceptAsync().ConfigureAwait(false);
        }

        var downstream = await message.Content.ReadAsStreamAsync(cancellation.Token).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        await using (downstream.ConfigureAwait(false))
        {
            // Raw bytes both ways: frames (close frames included) pass through unparsed, nothing is buffered.
            var toDownstream = StreamCopier.CopyAsync(client, downstream, autoFlush: true, gather: false, capture: null, cancellation.Token).AsTask();
            var toClient = StreamCopier.CopyAsync(downstream, client, autoFlush: true, gather: false, capture: null, cancellation.Token).AsTask();
            var first = await Task.WhenAny(toDownstream, toClient).ConfigureAwait(false);

            // Either side ending ends the tunnel: stop the other direction's pending read.
            await cancellation.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(toDownstream, toClient).ConfigureAwait(false);
            var result = first.Result;
            Log.TunnelClosed(logger, route, result.Outcome, result.Exception);
        }
    }

    private void HandleResponseBodyFailure(HttpContext context, DownstreamResponse response, StreamCopyResult result)
    {
        var route = response.Options.RouteName;
        var clientGone = context.RequestAborted.IsCancellationRequested || result.Outcome == StreamCopyOutcome.OutputError;
        if (!context.Response.HasStarted)
        {
            throw Report(clientGone
                ? ForwardingException.ClientClosed(route, result.Exception)
                : new ForwardingException(ForwardingError.ResponseBody, StatusCodes.Status502BadGateway, route, "The downstream service failed while sending the response body.", result.Exception));
        }

        if (clientGone)
        {
            Log.ResponseBodyClientGone(logger, route, result.Exception);
        }
        else
        {
            Log.ResponseBodyAborted(logger, route, result.Outcome, result.Exception);
        }

        // Status and part of the body are out: only an abort tells the client the body is incomplete.
        if (context.Features.Get<IHttpResetFeature>() is { } reset)
        {
            reset.Reset(clientGone || result.Outcome == StreamCopyOutcome.Canceled ? Http2Cancel : Http2InternalError);
        }
        else
        {
            context.Abort();
        }
    }

    private static async Task FinishUploadAsync(DownstreamResponse response)
    {
        // The downstream may answer before the upload ends; the client's body stream must not be read after
        // this request is over, so stop the upload and wait for it.
        if (response.RequestBody is { Started: true } body && !body.Completion.IsCompleted)
        {
            await response.Cancellation.CancelAsync().ConfigureAwait(false);
            await body.Completion.ConfigureAwait(false);
        }
    }

    private static ForwardingException Classify(HttpContext context, StreamingRequestContent? requestBody, Exception ex, string route)
    {
        if (ex is ForwardingException forwarding)
        {
            return forwarding;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return ForwardingException.ClientClosed(route, ex, "The client closed the connection before the response arrived.");
        }

        if (requestBody is { Started: true, Completion.IsCompletedSuccessfully: true }
            && requestBody.Completion.Result is { Outcome: StreamCopyOutcome.InputError } upload)
        {
            return upload.Exception is BadHttpRequestException bad
                ? new ForwardingException(ForwardingError.RequestBodyClient, bad.StatusCode, route,
                    bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than the gateway accepts." : "The request body could not be read.", ex)
                : new ForwardingException(ForwardingError.RequestBodyClient, StatusCodes.Status400BadRequest, route, "The request body could not be read.", ex);
        }

        return ex switch
        {
            // Our route timeout, or the handler's 15 s connect timeout (also surfaced as a cancellation).
            OperationCanceledException => new ForwardingException(ForwardingError.DownstreamTimedOut, StatusCodes.Status503ServiceUnavailable, route, "The downstream service did not respond in time.", ex),
            HttpRequestException => new ForwardingException(ForwardingError.DownstreamUnreachable, StatusCodes.Status502BadGateway, route, "The downstream service could not be reached.", ex),
            _ => new ForwardingException(ForwardingError.Unexpected, StatusCodes.Status500InternalServerError, route, "The request could not be forwarded.", ex),
        };
    }

    // The innermost message says what happened ("Connection refused (127.0.0.1:5031)"), without the stack.
    private static string Cause(Exception? exception)
    {
        if (exception is null)
        {
            return "none given";
        }

        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception.Message;
    }

    private ForwardingException Report(ForwardingException error)
    {
        if (error.Error is ForwardingError.ClientCanceled or ForwardingError.RequestBodyClient or ForwardingError.BadRequest)
        {
            Log.ClientFailed(logger, error.RouteName, error.StatusCode, error.Error, error.Message, error.InnerException);
        }
        else if (error.Error == ForwardingError.Unexpected)
        {
            Log.ForwardingFailedUnexpectedly(logger, error.RouteName, error.StatusCode, error.Message, error.InnerException);
        }
        else
        {
            Log.ForwardingFailed(logger, error.RouteName, error.StatusCode, error.Error, error.Message, Cause(error.InnerException));
        }

        return error;
    }

    private static UpgradeKind DetectUpgrade(HttpContext context)
    {
        // A WebSocket handshake is either an HTTP/1.1 request with an Upgrade header or an HTTP/2+ CONNECT; asking
        // the header and method first spares every other request two feature lookups.
        var request = context.Request;
        if (StringValues.IsNullOrEmpty(request.Headers.Upgrade) && !HttpMethods.IsConnect(request.Method))
        {
            return UpgradeKind.None;
        }

        var upgradeFeature = context.Features.Get<IHttpUpgradeFeature>();
        if (upgradeFeature is { IsUpgradableRequest: true })
        {
            // Only WebSockets are tunnelled; other upgrades (e.g. h2c) are forwarded as plain requests.
            return string.Equals(request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase)
                ? UpgradeKind.Http11WebSocket
                : UpgradeKind.None;
        }

        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        return connect is { IsExtendedConnect: true } && string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase)
            ? UpgradeKind.Http2WebSocket
            : UpgradeKind.None;
    }

    private static bool HasBody(HttpContext context)
    {
        // Kestrel knows from the framing (Content-Length, chunked, HTTP/2 END_STREAM). Guessing wrong matters:
        // content without a length makes the handler send "Transfer-Encoding: chunked", even on a GET.
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { } detection)
        {
            return detection.CanHaveBody;
        }

        var request = context.Request;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count != 0)
        {
            return true;
        }

        return !IsHttp1(request.Protocol) && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && !HttpMethods.IsDelete(request.Method) && !HttpMethods.IsTrace(request.Method);
    }

    /// <summary>gRPC-like streams need every write flushed and no body size or data-rate limit.</summary>
    private static bool IsStreamingRequest(HttpContext context)
    {
        var request = context.Request;
        if (IsHttp1(request.Protocol) || request.ContentType is not { } contentType
            || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        return true;
    }

    private static bool IsHttp1(string protocol) => HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol);

    private static Uri ToHttpScheme(Uri destination)
    {
        // The handler speaks http/https; a ws/wss route is the same connection before the upgrade.
        if (string.Equals(destination.Scheme, "ws", StringComparison.OrdinalIgnoreCase))
        {
            return new UriBuilder(destination) { Scheme = Uri.UriSchemeHttp }.Uri;
        }

        if (string.Equals(destination.Scheme, "wss", StringComparison.OrdinalIgnoreCase))
        {
            return new UriBuilder(destination) { Scheme = Uri.UriSchemeHttps }.Uri;
        }

        return destination;
    }
}
