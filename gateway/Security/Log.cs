namespace MicroDemo.Gateway.Security;

/// <summary>Log messages of the security steps. Tokens and their contents are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Loaded token issuer metadata from {MetadataAddress}")]
    public static partial void IssuerMetadataLoaded(ILogger logger, string metadataAddress);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Token issuer metadata at {MetadataAddress} cannot be fetched: {Reason}")]
    public static partial void IssuerMetadataUnavailable(ILogger logger, string metadataAddress, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Refreshing token issuer metadata from {MetadataAddress} failed, keeping the previous keys: {Reason}")]
    public static partial void IssuerMetadataRefreshFailed(ILogger logger, string metadataAddress, string reason);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Debug, Message = "Route {Route}: no bearer token")]
    public static partial void TokenMissing(ILogger logger, string route);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Debug, Message = "Route {Route}: provider {ProviderKey} rejected the token: {Reason}")]
    public static partial void TokenRejected(ILogger logger, string route, string providerKey, string reason);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Debug, Message = "Route {Route}: provider {ProviderKey} could not check the token, its issuer is unreachable")]
    public static partial void IssuerUnreachable(ILogger logger, string route, string providerKey);

    [LoggerMessage(EventId = 4120, Level = LogLevel.Debug, Message = "Route {Route}: forbidden: {Reason}")]
    public static partial void Forbidden(ILogger logger, string route, string reason);

    [LoggerMessage(EventId = 4130, Level = LogLevel.Debug, Message = "Route {Route}: client {ClientAddress} refused by IP security")]
    public static partial void IpRefused(ILogger logger, string route, string clientAddress);
}
