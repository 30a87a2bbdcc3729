using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroDemo.Orders.Faults;

/// <summary>
/// Fault injection for teaching QoS; off by default, changed at runtime without a restart.
/// Reachable on the instance's own port only (the gateway routes no <c>/faults</c>):
/// <list type="bullet">
/// <item><c>GET /faults</c>: the current settings, e.g. <c>{ "latencyMs": 0, "failureRate": 0 }</c>.</item>
/// <item><c>PUT /faults</c> with <c>{ "latencyMs": 3000, "failureRate": 0.5 }</c>: every orders request waits 3 s,
/// then half of them answer 500 problem+json. Omitted fields are 0.</item>
/// <item><c>DELETE /faults</c>: back to no faults.</item>
/// </list>
/// </summary>
public static class FaultEndpoints
{
    public const string Path = "/faults";

    public static IServiceCollection AddFaultInjection(this IServiceCollection services) =>
        services.AddSingleton<FaultInjection>();

    /// <summary>Put after <c>MapServiceDefaults</c> (so injected 500s still get X-Served-By) and before the business endpoints.</summary>
    public static IApplicationBuilder UseFaultInjection(this IApplicationBuilder app) =>
        app.UseMiddleware<FaultInjectionMiddleware>();

    public static RouteGroupBuilder MapFaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var faults = endpoints.MapGroup(Path).WithTags("Fault injection");
        faults.MapGet("/", (FaultInjection injection) => TypedResults.Ok(injection.Current)).WithName("GetFaults");
        faults.MapPut("/", SetFaults).WithName("SetFaults");
        faults.MapDelete("/", (FaultInjection injection) =>
        {
            injection.Reset();
            return TypedResults.Ok(injection.Current);
        }).WithName("ResetFaults");
        return faults;
    }

    private static Results<Ok<FaultSettings>, ValidationProblem> SetFaults(FaultSettings settings, FaultInjection injection)
    {
        if (settings.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        injection.Set(settings);
        return TypedResults.Ok(settings);
    }
}
