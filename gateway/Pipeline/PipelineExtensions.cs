using MicroDemo.Gateway.Caching;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Discovery;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Gateway.RateLimiting;
using MicroDemo.Gateway.Resilience;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Pipeline;

public static class PipelineExtensions
{
    /// <summary>Everything the gateway's request pipeline needs, area by area.</summary>
    public static IServiceCollection AddGatewayPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayConfiguration(configuration);
        services.AddGatewayAuthentication(configuration);
        services.AddGatewayDiscovery();
        services.AddGatewayLoadBalancing();
        services.AddHttpForwarding();
        services.AddGatewayRateLimiting();
        services.AddGatewayCaching(configuration);
        services.AddGatewayResilience();
        services.AddSingleton<RequestActivityListener>();
        services.AddSingleton<RouteCompiler>();
        services.AddSingleton<GatewayRuntimeProvider>();
        services.AddSingleton<AggregateHandler>();
        services.AddSingleton<GatewayRequestHandler>();
        return services;
    }

    /// <summary>
    /// Hands every request that no endpoint (health, admin) claimed to the gateway. Call after
    /// <c>UseRouting</c> and the endpoint mappings: endpoints are matched first, and run after this.
    /// </summary>
    public static void RunGateway(this WebApplication app)
    {
        var handler = app.Services.GetRequiredService<GatewayRequestHandler>();
        app.Use((context, next) => context.GetEndpoint() is null ? handler.HandleAsync(context) : next(context));

        // Gateway routes and the admin API authenticate with the scheme they name (Security/RouteAuthenticationStep).
        // Called here, behind the gateway, ASP.NET Core's authentication middleware sees only endpoint requests;
        // otherwise WebApplication puts it in front of every request, where it opens a DI scope and runs the default
        // scheme (a single provider becomes the default) for each forwarded request: a fifth of its allocations.
        app.UseAuthentication();
    }
}
