using Microsoft.Extensions.Logging;

namespace MicroDemo.Gateway.Discovery;

internal static partial class DiscoveryLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Consul at {ConsulUrl} is unreachable ({Reason}); routing to the last known instances until it answers again.")]
    public static partial void ConsulUnreachable(ILogger logger, Uri consulUrl, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Consul at {ConsulUrl} answers again.")]
    public static partial void ConsulReachable(ILogger logger, Uri consulUrl);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "Consul refuses the health query for service '{ServiceName}' ({Reason}); keeping its last known instances.")]
    public static partial void ServiceQueryFailing(ILogger logger, string serviceName, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Consul query for service '{ServiceName}' failed; retrying in {RetryDelay}.")]
    public static partial void QueryFailed(ILogger logger, string serviceName, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Watching service '{ServiceName}' in Consul.")]
    public static partial void WatchStarted(ILogger logger, string serviceName);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Stopped watching service '{ServiceName}': neither configured nor requested lately.")]
    public static partial void WatchStopped(ILogger logger, string serviceName);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Service discovery now uses {Options}.")]
    public static partial void Configured(ILogger logger, ServiceDiscoveryOptions options);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "Service '{ServiceName}' now has {InstanceCount} healthy instance(s).")]
    public static partial void InstancesChanged(ILogger logger, string serviceName, int instanceCount);
}
