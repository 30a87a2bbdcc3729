using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MicroDemo.ServiceDefaults.Health;

/// <summary>
/// <c>/health/live</c>: the process is up (only checks tagged <see cref="LiveTag"/>).
/// <c>/health/ready</c>: every registered check passes (database included); Consul's HTTP check polls it.
/// A service adds its own readiness check with <c>services.AddHealthChecks().AddCheck&lt;T&gt;("name")</c>.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string LiveTag = "live";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = WriteJsonAsync,
        }).ExcludeFromDescription();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            ResponseWriter = WriteJsonAsync,
        }).ExcludeFromDescription();
        return endpoints;
    }

    // { "status": "Unhealthy", "checks": { "database": { "status": "Unhealthy", "description": "..." } } }
    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new HealthResponse(
            report.Status.ToString(),
            report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new HealthEntryResponse(entry.Value.Status.ToString(), entry.Value.Description)));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonSerializerOptions.Web, context.RequestAborted);
    }

    private sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthEntryResponse> Checks);

    private sealed record HealthEntryResponse(string Status, string? Description);
}
