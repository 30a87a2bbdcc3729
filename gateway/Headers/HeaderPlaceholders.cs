namespace MicroDemo.Gateway.Headers;

/// <summary>The placeholders header transforms understand (names are case-sensitive, as in Ocelot).</summary>
public enum HeaderPlaceholder
{
    Unknown,
    BaseUrl,
    DownstreamBaseUrl,
    RemoteIpAddress,
    TraceId,
    UpstreamHost,
    UpstreamScheme,
}

public static class HeaderPlaceholders
{
    public const string BaseUrl = "{BaseUrl}";
    public const string DownstreamBaseUrl = "{DownstreamBaseUrl}";
    public const string RemoteIpAddress = "{RemoteIpAddress}";
    public const string TraceId = "{TraceId}";
    public const string UpstreamHost = "{UpstreamHost}";
    public const string UpstreamScheme = "{UpstreamScheme}";

    public static bool TryParse(string text, out HeaderPlaceholder placeholder)
    {
        placeholder = text switch
        {
            BaseUrl => HeaderPlaceholder.BaseUrl,
            DownstreamBaseUrl => HeaderPlaceholder.DownstreamBaseUrl,
            RemoteIpAddress => HeaderPlaceholder.RemoteIpAddress,
            TraceId => HeaderPlaceholder.TraceId,
            UpstreamHost => HeaderPlaceholder.UpstreamHost,
            UpstreamScheme => HeaderPlaceholder.UpstreamScheme,
            _ => HeaderPlaceholder.Unknown,
        };
        return placeholder != HeaderPlaceholder.Unknown;
    }
}
