namespace MicroDemo.Gateway.Routing;

/// <summary>Builds the downstream request URI from its parts with a single string allocation.</summary>
public static class DownstreamUri
{
    // The path and query are escaped already and must reach the downstream exactly so: by default System.Uri
    // decodes some escapes ("%2e" into '.') and then removes the dot-segments that produced.
    private static readonly UriCreationOptions ForwardAsBuilt = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <param name="scheme">http, https, ws or wss.</param>
    /// <param name="host">Host name or IP address; an IPv6 address may be given with or without brackets.</param>
    /// <param name="port">The downstream port.</param>
    /// <param name="pathAndQuery">An escaped path and query, as <see cref="DownstreamPathTemplate.BuildPathAndQuery"/> returns.</param>
    public static Uri Create(string scheme, string host, int port, string pathAndQuery)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);

        var bracket = host.Contains(':') && !host.StartsWith('[');
        var builder = new PooledCharBuilder(stackalloc char[256]);
        try
        {
            builder.Append(scheme);
            builder.Append("://");
            if (bracket)
            {
                builder.Append('[');
            }

            builder.Append(host);
            if (bracket)
            {
                builder.Append(']');
            }

            builder.Append(':');
            Span<char> digits = stackalloc char[5];
            port.TryFormat(digits, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
            builder.Append(digits[..written]);
            if (!pathAndQuery.StartsWith('/'))
            {
                builder.Append('/');
            }

            builder.Append(pathAndQuery);
            return new Uri(builder.ToString(), ForwardAsBuilt);
        }
        finally
        {
            builder.Dispose();
        }
    }
}
