namespace MicroDemo.Gateway.Forwarding;

/// <summary>What went wrong while forwarding; the HTTP status follows Ocelot's mapping.</summary>
public enum ForwardingError
{
    /// <summary>The client's request cannot be forwarded as sent (e.g. a non-ASCII header value): 400.</summary>
    BadRequest,

    /// <summary>Connection refused, DNS failure, send failure or unusable response headers: 502.</summary>
    DownstreamUnreachable,

    /// <summary>The route timeout (or the 15 s connect timeout) expired before response headers arrived: 503.</summary>
    DownstreamTimedOut,

    /// <summary>The client went away: 499, no body.</summary>
    ClientCanceled,

    /// <summary>Reading the request body from the client failed (Kestrel's status, e.g. 413 when it is too large).</summary>
    RequestBodyClient,

    /// <summary>The downstream response body failed before anything reached the client: 502.</summary>
    ResponseBody,

    /// <summary>Anything unexpected: 500, no stack trace in the response.</summary>
    Unexpected,
}
