namespace MicroDemo.Orders.Faults;

/// <summary>
/// Makes the business endpoints slow and/or failing on demand, to watch the gateway's QoS
/// (timeouts, retries, circuit breaker) react. Health, OpenAPI and <c>/faults</c> itself stay untouched,
/// so Consul keeps the instance and the faults can always be switched off again.
/// </summary>
internal sealed class FaultInjectionMiddleware(RequestDelegate next, FaultInjection faults)
{
    private static readonly PathString[] Exempt = ["/health", "/openapi", FaultEndpoints.Path];

    public async Task InvokeAsync(HttpContext context)
    {
        var settings = faults.Current;
        if (settings == FaultSettings.None || Exempt.Any(path => context.Request.Path.StartsWithSegments(path)))
        {
            await next(context);
            return;
        }

        if (settings.LatencyMs > 0)
        {
            // Cancellable: a caller that gave up (e.g. the gateway's timeout) frees the request at once.
            await Task.Delay(settings.LatencyMs, context.RequestAborted);
        }

        if (settings.FailureRate > 0 && Random.Shared.NextDouble() < settings.FailureRate)
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "Injected fault",
                detail: $"Fault injection is on (failureRate {settings.FailureRate}); see GET {FaultEndpoints.Path}.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
