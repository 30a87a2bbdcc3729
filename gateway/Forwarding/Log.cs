namespace MicroDemo.Gateway.Forwarding;

internal static partial class Log
{
    // A refused connection or a timeout is an expected event in a distributed system: one line with the cause, no stack trace.
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Route {Route}: forwarding failed with {StatusCode} ({Error}): {Reason} Cause: {Cause}")]
    public static partial void ForwardingFailed(ILogger logger, string route, int statusCode, ForwardingError error, string reason, string cause);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Route {Route}: forwarding failed unexpectedly with {StatusCode}: {Reason}")]
    public static partial void ForwardingFailedUnexpectedly(ILogger logger, string route, int statusCode, string reason, Exception? exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Route {Route}: the client caused {StatusCode} ({Error}): {Reason}")]
    public static partial void ClientFailed(ILogger logger, string route, int statusCode, ForwardingError error, string reason, Exception? exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Route {Route}: the response body failed after the response started ({Outcome}); the client connection was aborted")]
    public static partial void ResponseBodyAborted(ILogger logger, string route, StreamCopyOutcome outcome, Exception? exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Route {Route}: the client went away while the response body was streaming")]
    public static partial void ResponseBodyClientGone(ILogger logger, string route, Exception? exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Route {Route}: WebSocket tunnel closed ({Outcome})")]
    public static partial void TunnelClosed(ILogger logger, string route, StreamCopyOutcome outcome, Exception? exception);
}
