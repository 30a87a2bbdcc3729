using MicroDemo.Gateway.LoopDetection;

namespace MicroDemo.Gateway.Forwarding;

public static class ForwardingServiceCollectionExtensions
{
    /// <summary>Registers the <see cref="HttpForwarder"/> and the <see cref="DownstreamClientFactory"/> (both singletons).</summary>
    public static IServiceCollection AddHttpForwarding(this IServiceCollection services)
    {
        // The forwarder stamps every request with the gateway's Via entry.
        services.AddGatewayLoopDetection();
        services.AddSingleton<DownstreamClientFactory>();
        services.AddSingleton<HttpForwarder>();
        return services;
    }
}
