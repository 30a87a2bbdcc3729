namespace MicroDemo.Gateway.Forwarding;

/// <summary>Per-route forwarding settings, built once when the configuration is loaded.</summary>
public sealed record DownstreamRequestOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Names the route in error responses and logs (e.g. the UpstreamPathTemplate).</summary>
    public required string RouteName { get; init; }

    /// <summary>Outgoing HTTP version (Ocelot <c>DownstreamHttpVersion</c>, default 1.1).</summary>
    public Version Version { get; init; } = System.Net.HttpVersion.Version11;

    /// <summary>
    /// Ocelot <c>DownstreamHttpVersionPolicy</c>. Cleartext HTTP/2 (h2c) needs Version 2.0 with
    /// <see cref="HttpVersionPolicy.RequestVersionExact"/>; over https ALPN negotiates with OrLower.
    /// </summary>
    public HttpVersionPolicy VersionPolicy { get; init; } = HttpVersionPolicy.RequestVersionOrLower;

    /// <summary>Ocelot <c>DownstreamHttpMethod</c>: replaces the client's method; a body is still forwarded.</summary>
    public HttpMethod? MethodOverride { get; init; }

    /// <summary>
    /// Ocelot route <c>Timeout</c>: covers connecting, sending and receiving the response headers; an expiry
    /// answers 503. Once the response body streams there is no deadline (a download may legitimately take
    /// minutes); a client that goes away still cancels it. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// The X-Forwarded-* headers to add (<c>GlobalConfiguration.AddForwardedHeaders</c>, less the ones the route
    /// sets itself); see <see cref="ForwardedHeadersWriter.ForRoute"/>.
    /// </summary>
    public XForwardedHeaders ForwardedHeaders { get; init; }
}
