namespace MicroDemo.Gateway.Forwarding;

/// <summary>
/// Thrown by the <see cref="HttpForwarder"/> phases when a request fails before the client response has started.
/// It is already logged; write it to the client with <see cref="HttpForwarder.WriteErrorAsync"/>.
/// </summary>
public sealed class ForwardingException(ForwardingError error, int statusCode, string routeName, string reason, Exception? innerException = null)
    : Exception(reason, innerException)
{
    public ForwardingError Error { get; } = error;

    public int StatusCode { get; } = statusCode;

    public string RouteName { get; } = routeName;

    /// <summary>
    /// The connection could not be opened (refused, no route, name not resolved), so the downstream never saw the
    /// request and it may be sent elsewhere whatever its method.
    /// </summary>
    public bool RequestNotSent => Error == ForwardingError.DownstreamUnreachable
        && InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>The client went away: 499, the status nginx made for a client that closed its connection.</summary>
    public static ForwardingException ClientClosed(string routeName, Exception? innerException, string reason = "The client closed the connection.")
        => new(ForwardingError.ClientCanceled, StatusCodes.Status499ClientClosedRequest, routeName, reason, innerException);
}
