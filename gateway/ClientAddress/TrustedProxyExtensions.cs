using MicroDemo.Gateway.Security;
using Microsoft.AspNetCore.HttpOverrides;

namespace MicroDemo.Gateway.ClientAddress;

/// <summary>
/// ASP.NET Core's ForwardedHeaders middleware, fed from <see cref="TrustedProxyOptions"/>, first in the pipeline: behind
/// a trusted edge, <c>Connection.RemoteIpAddress</c> becomes the client's address, so everything that reads it (per-IP
/// rate limits, <c>SecurityOptions</c>, <c>{RemoteIpAddress}</c>, the X-Forwarded-For the gateway sends on) sees the
/// client and not the edge. The middleware walks X-Forwarded-For from the right and stops at the first entry that
/// was not written by a trusted proxy, so entries a client forged to the left of it are never believed.
/// </summary>
public static class TrustedProxyExtensions
{
    public static IApplicationBuilder UseGatewayTrustedProxies(this IApplicationBuilder app, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(TrustedProxyOptions.SectionName).Get<TrustedProxyOptions>() ?? new TrustedProxyOptions();
        var networks = TrustedNetworks(options);
        if (networks.Count == 0)
        {
            return app;
        }

        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = options.ForwardLimit,
        };

        // The middleware trusts loopback out of the box; here only what the configuration names is trusted.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var network in networks)
        {
            forwarded.KnownIPNetworks.Add(network);
        }

        return app.UseForwardedHeaders(forwarded);
    }

    private static List<System.Net.IPNetwork> TrustedNetworks(TrustedProxyOptions options)
    {
        var key = $"{TrustedProxyOptions.SectionName}:{nameof(TrustedProxyOptions.TrustedProxies)}";
        if (options.ForwardLimit < 1)
        {
            throw new InvalidOperationException(
                $"Configuration key '{TrustedProxyOptions.SectionName}:{nameof(TrustedProxyOptions.ForwardLimit)}' must be 1 or more (the number of proxies in front of the gateway), but is {options.ForwardLimit}.");
        }

        var errors = new List<string>();
        var trusted = IpAddressSet.Parse(options.TrustedProxies, key, errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        return trusted.Ranges.SelectMany(range => range.ToNetworks()).ToList();
    }
}
