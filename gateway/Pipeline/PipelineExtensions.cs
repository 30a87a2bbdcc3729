using MicroDemo.Gateway.Caching;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Discovery;
using MicroDemo.Gateway.Distributed;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Gateway.RateLimiting;
using MicroDemo.Gateway.Resilience;
using MicroDemo.Gateway.Security;
using MicroDemo.Gateway.Telemetry;

namespace MicroDemo.Gateway.Pipeline;

public static class PipelineExtensions
{
    /// <summary>Everything the gateway's request pipeline needs, area by area.</summary>
    public static IServiceCollection AddGatewayPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayConfiguration(configuration);
        services.AddGatewayAuthentication(configuration);
        services.AddGatewayDiscovery(configuration);
        services.AddGatewayLoadBalancing(configuration);
        services.AddHttpForwarding();
        services.AddGatewayRateLimiting();
        services.AddGatewayCaching(configuration);
        services.AddGatewayRedis(configuration);
        services.AddGatewayResilience();
        services.AddGatewayTelemetry();
        services.AddOptions<DynamicRoutingOptions>().Bind(configuration.GetSection(DynamicRoutingOptions.SectionName));
        services.AddOptions<GatewayLimitsOptions>().Bind(configuration.GetSection(GatewayLimitsOptions.SectionName));
        services.AddSingleton<ConcurrentRequestLimit>();
        services.AddSingleton<RequestActivityListener>();
        services.AddSingleton<RouteCompiler>();
        services.AddSingleton<GatewayRuntimeProvider>();
        services.AddSingleton<AggregateHandler>();
        services.AddSingleton<GatewayRequestHandler>();
        return services;
    }

    /// <summary>
    /// Forwards every request that no endpoint (health, admin API) claimed; the others go on down the pipeline.
    /// Call after <c>UseRouting</c>, so endpoints are matched first, and before <c>UseExceptionHandler</c> and
    /// <c>UseAuthentication</c>, so that what stands behind it costs forwarded requests nothing:
    /// <list type="bullet">
    /// <item>the gateway answers its own failures (<see cref="GatewayRequestHandler"/>); the exception handler's
    /// async layer around each forwarded request cost about 1 µs of CPU (docs/benchmarks.md);</item>
    /// <item>routes authenticate with the scheme they name (Security/RouteAuthenticationStep). In front of every
    /// request, ASP.NET Core's authentication middleware would open a DI scope and run the default scheme (a single
    /// provider becomes the default) for each forwarded request: a fifth of its allocations.</item>
    /// </list>
    /// </summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        var handler = app.Services.GetRequiredService<GatewayRequestHandler>();
        app.Use((context, next) => context.GetEndpoint() is null ? handler.HandleAsync(context) : next(context));
        return app;
    }
}
