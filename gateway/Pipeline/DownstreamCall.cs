using MicroDemo.Gateway.Forwarding;
using System.Diagnostics;
using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Gateway.Telemetry;
using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>
/// Sends one admitted request to its leased instance, tells the route's passive health how the instance did, and
/// fails over once to another instance when the first could not have served it: the connection was refused (the
/// request never left), or, with <see cref="PassiveHealthOptions.RetryIdempotent"/>, a bodyless idempotent request
/// met a broken connection or a 502/503. A hand-written failover rather than a Polly retry: each attempt needs a
/// different instance from the balancer and a fresh request message.
/// </summary>
internal sealed class DownstreamCall(
    HttpForwarder forwarder,
    GatewayMetrics metrics,
    HttpContext context,
    CompiledRoute route,
    Lease lease,
    IReadOnlyList<ServiceInstance> listed,
    string pathAndQuery)
{
    /// <summary>Where the last attempt went (response header transforms read it).</summary>
    public Uri? Destination { get; private set; }

    /// <summary>
    /// The last attempt failed on an instance that is now ejected while another can serve: the route's circuit
    /// breaker must not count it.
    /// </summary>
    public bool InstanceFailure { get; private set; }

    /// <summary>The answer <see cref="SendAsync"/> returned, for a caller that only gets its message back (Polly).</summary>
    public DownstreamResponse? Response { get; private set; }

    /// <summary>Sends the request (once; the lease is used up); throws the last attempt's <see cref="ForwardingException"/>.</summary>
    public async Task<DownstreamResponse> SendAsync(CancellationToken cancellationToken)
    {
        var attempt = await AttemptAsync(lease, cancellationToken);
        if (ShouldFailOver(attempt, cancellationToken) && await NextLeaseAsync(lease.Instance) is { } next)
        {
            attempt.Response?.Dispose();
            GatewayActivities.Retrying(lease.Instance.Id);
            attempt = await AttemptAsync(next, cancellationToken);
        }

        Response = attempt.Response;
        return attempt.Response ?? throw attempt.Error!;
    }

    private async Task<Attempt> AttemptAsync(Lease attempt, CancellationToken cancellationToken)
    {
        var instance = attempt.Instance;
        Destination = route.Destination(instance, context.Request.Scheme, pathAndQuery);
        using var message = forwarder.CreateRequest(context, Destination, route.ForwardOptions);
        var hasBody = message.Content is not null;
        DownstreamResponse response;
        var started = Stopwatch.GetTimestamp();
        try
        {
            response = await forwarder.SendAsync(context, message, route.Invoker, route.ForwardOptions, cancellationToken);
        }
        catch (ForwardingException error) when (error.Error is ForwardingError.DownstreamUnreachable or ForwardingError.DownstreamTimedOut)
        {
            metrics.DownstreamAttempted(route.Name, instance, statusCode: null, started);
            InstanceFailure = route.Health?.ReportFailure(instance, listed, connectionBroke: error.Error == ForwardingError.DownstreamUnreachable) ?? false;
            return new Attempt(null, error, hasBody, message.Content is StreamingRequestContent { Started: true });
        }
        finally
        {
            // LeastConnection counts a call as active until the downstream's headers arrive, as Ocelot does.
            attempt.Dispose();
        }

        metrics.DownstreamAttempted(route.Name, instance, (int)response.StatusCode, started);
        if ((int)response.StatusCode >= 500)
        {
            InstanceFailure = route.Health?.ReportFailure(instance, listed, connectionBroke: false) ?? false;
        }
        else
        {
            InstanceFailure = false;
            route.Health?.ReportSuccess(instance);
        }

        return new Attempt(response, null, hasBody, BodyStarted: hasBody);
    }

    private bool ShouldFailOver(Attempt attempt, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (attempt.Error is { RequestNotSent: true } && !attempt.BodyStarted)
        {
            return true;
        }

        var idempotentWithoutBody = route.Health is { RetryIdempotent: true } && !attempt.HasBody && IsIdempotent(context.Request.Method);
        return attempt.Response is { } response
            ? idempotentWithoutBody && (int)response.StatusCode is StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable
            : idempotentWithoutBody && attempt.Error!.Error == ForwardingError.DownstreamUnreachable;
    }

    private async ValueTask<Lease?> NextLeaseAsync(ServiceInstance failed)
    {
        if (route.Health is not { } health)
        {
            return null;
        }

        var others = health.Available(listed, except: failed);
        return others.Count == 0 ? null : await route.Balancer.LeaseAsync(context, others);
    }

    // RFC 9110 §9.2.2.
    private static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsTrace(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    /// <summary>One attempt's answer or failure, and whether it carried (or started sending) the client's body.</summary>
    private readonly record struct Attempt(DownstreamResponse? Response, ForwardingException? Error, bool HasBody, bool BodyStarted);
}
