using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Distributed;

internal static partial class RedisLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "Redis at {Endpoint} is unavailable ({Reason}); rate limits and the cache are per replica until it answers again.")]
    public static partial void Unavailable(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Redis at {Endpoint} answers again; rate limits and the cache are shared again.")]
    public static partial void Available(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "A Redis command failed; this request used the replica's own state.")]
    public static partial void CommandFailed(ILogger logger, Exception exception);
}
