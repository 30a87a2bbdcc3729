using System.Runtime.CompilerServices;
using MicroDemo.Gateway.Telemetry;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>
/// The live dashboard: <c>GET /dashboard</c> (the page, its CSS and script shipped inside the gateway),
/// <c>GET /dashboard/data</c> (one <see cref="DashboardSnapshot"/>) and <c>GET /dashboard/events</c>
/// (a snapshot every refresh interval, as server-sent events).
/// </summary>
public static class DashboardEndpoints
{
    public static IServiceCollection AddGatewayDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName));
        if (configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() is { Enabled: false })
        {
            return services;
        }

        services.AddSingleton<RouteTraffic>();
        services.AddSingleton<ConfigurationHistory>();
        // Started with the host, once the configuration loaded (a file rejected at start ends the gateway before).
        services.AddHostedService(provider => provider.GetRequiredService<ConfigurationHistory>());
        services.AddSingleton<DashboardSnapshots>();
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<LiveClients>();
        services.AddSingleton<DashboardAssets>();
        services.Configure<JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, DashboardJsonContext.Default));
        return services;
    }

    public static IEndpointRouteBuilder MapGatewayDashboard(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<DashboardOptions>>().Value;
        if (!options.Enabled)
        {
            return endpoints;
        }

        // Created now, not on the first visit: the traffic counts start with the gateway.
        endpoints.ServiceProvider.GetRequiredService<RouteTraffic>();

        var dashboard = endpoints.MapGroup(options.Path).ExcludeFromDescription();
        dashboard.MapGet("", ServePage("index.html"));
        dashboard.MapGet("/dashboard.css", ServePage("dashboard.css"));
        dashboard.MapGet("/dashboard.js", ServePage("dashboard.js"));
        dashboard.MapGet("/data", async (HttpContext context, DashboardAccess access, DashboardSnapshots snapshots) =>
            await access.CheckDataAsync(context) ?? NoStore(context, TypedResults.Ok(await snapshots.GetAsync(context.RequestAborted))));
        dashboard.MapGet("/events", async (HttpContext context, DashboardAccess access, LiveClients live, DashboardSnapshots snapshots, IHostApplicationLifetime lifetime) =>
        {
            if (await access.CheckDataAsync(context) is { } refused)
            {
                return refused;
            }

            if (live.TryEnter() is not { } slot)
            {
                // The page falls back to polling /data.
                context.Response.Headers.RetryAfter = "10";
                return Results.Problem("Too many dashboards are receiving live updates; this one polls instead.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            context.Response.RegisterForDispose(slot);
            // Behind ./demo's nginx edge each event must pass at once, not when a proxy buffer fills.
            context.Response.Headers["X-Accel-Buffering"] = "no";
            return NoStore(context, TypedResults.ServerSentEvents(Updates(snapshots, options.RefreshInterval, context.RequestAborted, lifetime.ApplicationStopping)));
        });
        return endpoints;
    }

    private static Func<HttpContext, DashboardAccess, DashboardAssets, IResult> ServePage(string name) =>
        (context, access, assets) => access.CheckPage(context) ?? assets.Serve(context, name);

    private static IResult NoStore(HttpContext context, IResult result)
    {
        context.Response.Headers.CacheControl = "no-store";
        return result;
    }

    // Ends when the page goes away or the gateway stops, so an open dashboard never holds up a shutdown.
    private static async IAsyncEnumerable<DashboardSnapshot> Updates(DashboardSnapshots snapshots, TimeSpan interval, [EnumeratorCancellation] CancellationToken aborted, CancellationToken stopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        using var timer = new PeriodicTimer(interval);
        do
        {
            DashboardSnapshot snapshot;
            try
            {
                snapshot = await snapshots.GetAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return snapshot;
        }
        while (await WaitAsync(timer, stop.Token));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
