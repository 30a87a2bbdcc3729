using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.ServiceDefaults.Health;
using MicroDemo.ServiceDefaults.Hosting;
using MicroDemo.ServiceDefaults.Http;
using MicroDemo.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults;

/// <summary>
/// What every MicroDemo service shares, so each Program.cs stays a few lines:
/// <code>
/// var builder = WebApplication.CreateBuilder(args);
/// builder.AddServiceDefaults();
/// var app = builder.Build();
/// app.MapServiceDefaults();
/// app.MapUsersEndpoints();
/// app.Run();
/// </code>
/// Authentication is not wired here: <c>AddServiceAuthentication</c> (Authentication folder) adds it,
/// and endpoint groups opt in with <c>.RequireAuthorization(policy)</c>.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.AddServiceTelemetry();

        builder.Services.AddOptions<ServiceOptions>()
            .Bind(builder.Configuration.GetSection(ServiceOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
        builder.Services.AddSingleton<ServiceIdentity>();

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Malformed input reaches BadRequestExceptionHandler in every environment, not only in Development.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpoints.LiveTag]);

        builder.Services.AddConsulClient(builder.Configuration);
        if (builder.Configuration.GetValue(SettingNames.ServiceRegisterInConsul, defaultValue: true))
        {
            builder.Services.AddHostedService<ConsulRegistrationService>();
        }

        return builder;
    }

    /// <summary>
    /// Stamps responses with <c>X-Served-By: {name}-{address}-{port}</c>. The services do it for every response
    /// (<see cref="MapServiceDefaults"/>); the gateway only for its own answers, so that a forwarded response keeps
    /// the service's, and behind the edge <c>/health/live</c> names the replica that answered.
    /// </summary>
    public static IApplicationBuilder UseServedBy(this IApplicationBuilder app) => app.UseMiddleware<ServedByMiddleware>();

    /// <summary>A log line per request, error handling, <c>X-Served-By</c>, <c>/health/live</c>, <c>/health/ready</c>, <c>/metrics</c> and <c>/openapi/v1.json</c>.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseRequestLog();
        // Unhandled exceptions become a 500 problem+json with a trace id; never a stack trace.
        app.UseExceptionHandler();
        // Bodiless errors (404 for an unknown route, 405, ...) become problem+json too.
        app.UseStatusCodePages();
        app.UseServedBy();

        app.MapHealthEndpoints();
        app.MapServiceMetrics();
        app.MapOpenApi();
        return app;
    }
}
