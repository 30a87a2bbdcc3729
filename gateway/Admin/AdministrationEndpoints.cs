using System.Text;
using System.Text.Json;
using MicroDemo.Gateway.Caching;
using MicroDemo.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Admin;

/// <summary>
/// Ocelot's administration API, protected by a bearer token with the admin scope:
/// <c>GET|POST {path}/configuration</c> and <c>DELETE {path}/outputcache/{region}</c>.
/// Unlike Ocelot, a posted configuration is validated before anything is written.
/// </summary>
public static class AdministrationEndpoints
{
    public static IServiceCollection AddGatewayAdministration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdministrationOptions>().Bind(configuration.GetSection(AdministrationOptions.SectionName));
        services.AddSingleton<AdministratorCheck>();
        return services;
    }

    public static IEndpointRouteBuilder MapGatewayAdministration(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<AdministrationOptions>>().Value;
        var check = endpoints.ServiceProvider.GetRequiredService<AdministratorCheck>();
        var admin = endpoints.MapGroup(options.Path)
            .AddEndpointFilter(async (context, next) =>
                await check.CheckAsync(context.HttpContext, options.Path) ?? await next(context))
            .ExcludeFromDescription();

        admin.MapGet("/configuration", (GatewayConfigurationStore store) =>
            Results.Json(store.Current.Source, FileConfigurationJson.Options));

        admin.MapPost("/configuration", async (HttpRequest request, GatewayConfigurationStore store, CancellationToken cancellationToken) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var json = await reader.ReadToEndAsync(cancellationToken);
            var result = await store.TryReplaceAsync(json, cancellationToken);
            if (!result.Succeeded)
            {
                return Results.Problem(
                    detail: "The configuration was not applied and nothing was written: " + string.Join("; ", result.Errors),
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid configuration",
                    extensions: new Dictionary<string, object?> { ["errors"] = result.Errors.Select(e => e.ToString()).ToArray() });
            }

            return Results.Json(store.Current.Source, FileConfigurationJson.Options);
        });

        admin.MapDelete("/outputcache/{region}", async (string region, RouteOutputCache cache) =>
        {
            await cache.ClearRegionAsync(region);
            return Results.NoContent();
        });

        return endpoints;
    }
}
