using MicroDemo.Gateway.Caching;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Discovery;
using MicroDemo.Gateway.Forwarding;
using MicroDemo.Gateway.Headers;
using MicroDemo.Gateway.Hosting;
using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Gateway.LoopDetection;
using MicroDemo.Gateway.RateLimiting;
using MicroDemo.Gateway.Resilience;
using MicroDemo.Gateway.Routing;
using MicroDemo.Gateway.Security;
using MicroDemo.Gateway.Telemetry;
using MicroDemo.ServiceDefaults.Consul;
using Microsoft.Net.Http.Headers;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>
/// The gateway's request pipeline, in Ocelot's order: route matching → IP security → request headers →
/// rate limiting → authentication → authorization → claims to headers/query/path → load balancing →
/// URL building → output cache → QoS + forwarding → response headers. Each step lives in its own folder;
/// this class only sequences them, and answers every failure itself (see <see cref="FailAsync"/>).
/// </summary>
public sealed partial class GatewayRequestHandler(
    GatewayRuntimeProvider runtime,
    IServiceDiscovery discovery,
    HttpForwarder forwarder,
    IpSecurityStep ipSecurity,
    RouteAuthenticationStep authentication,
    RouteAuthorizationStep authorization,
    ClaimsToDownstreamStep claimsToDownstream,
    RouteRateLimiter rateLimiter,
    RouteOutputCache outputCache,
    AggregateHandler aggregates,
    GatewayInstance self,
    ConcurrentRequestLimit requestLimit,
    GatewayMetrics metrics,
    ILogger<GatewayRequestHandler> logger)
{
    public Task HandleAsync(HttpContext context)
    {
        try
        {
            // A loop is refused before it takes a slot: each pass would otherwise hold one more request and socket.
            if (self.HasForwarded(context.Request))
            {
                return GatewayProblems.LoopDetectedAsync(context, self.Pseudonym);
            }

            return requestLimit.TryEnter(context) ? Dispatch(context) : GatewayProblems.OverloadedAsync(context);
        }
        catch (Exception error)
        {
            return FailAsync(context, NoRouteYet, error);
        }
    }

    private Task Dispatch(HttpContext context)
    {
        var current = runtime.Current;
        var request = context.Request;
        var path = RequestPath.From(request);
        if (path.HasDotSegment)
        {
            return GatewayProblems.DotSegmentAsync(context);
        }

        var routeMatched = current.Routes.TryMatch(request.Method, request.Host, path.Escaped, request.QueryString, request.Headers, out var match);
        var aggregateMatched = current.Aggregates.TryMatch(request.Method, request.Host, path.Escaped, request.QueryString, request.Headers, out var aggregate);

        // Routes and aggregates compete by Priority, as in Ocelot; on a tie the route wins.
        if (aggregateMatched && (!routeMatched || aggregate.Route.Options.Priority > match.Route.Options.Priority))
        {
            return AggregateAsync(context, aggregate.Route, aggregate.Placeholders);
        }

        if (routeMatched)
        {
            return HandleRouteAsync(context, match.Route, match.Placeholders, dynamicPathAndQuery: null);
        }

        // A wrong method on a routed path is the client's mistake, not a service name for dynamic routing.
        if (AllowedMethods(current, request, path.Escaped) is { Count: > 0 } allowed)
        {
            return GatewayProblems.MethodNotAllowedAsync(context, allowed);
        }

        if (current.DynamicRouting is { } dynamic && DynamicRoute.TryParse(path.Escaped, out var service) && dynamic.Allows(service.ServiceName))
        {
            var registered = discovery.IsRegisteredAsync(service.ServiceName, context.RequestAborted);
            return registered.IsCompletedSuccessfully
                ? RouteDynamically(context, dynamic, service, registered.Result)
                : RouteDynamicallyWhenKnownAsync(context, dynamic, service, registered);
        }

        return GatewayProblems.NoRouteAsync(context);
    }

    // Unknown names are answered here, without a discovery watch each: a typo is a 404, not a 503.
    private Task RouteDynamically(HttpContext context, DynamicRouting dynamic, DynamicRoute service, bool? registered)
    {
        if (registered == false)
        {
            return GatewayProblems.UnknownServiceAsync(context, service.ServiceName);
        }

        var route = dynamic.RouteFor(service.ServiceNamespace, service.ServiceName);
        return HandleRouteAsync(context, route, PlaceholderValues.Empty, service.BuildPathAndQuery(context.Request.QueryString));
    }

    private async Task RouteDynamicallyWhenKnownAsync(HttpContext context, DynamicRouting dynamic, DynamicRoute service, ValueTask<bool?> registered)
    {
        try
        {
            await RouteDynamically(context, dynamic, service, await registered);
        }
        catch (Exception error)
        {
            await FailAsync(context, NoRouteYet, error);
        }
    }

    private static SortedSet<string>? AllowedMethods(GatewayRuntime current, HttpRequest request, string escapedPath)
    {
        // Pure dynamic routing (no static routes) has no paths to own.
        if (current.Routes.Count == 0 && current.Aggregates.Count == 0)
        {
            return null;
        }

        var allowed = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        current.Routes.CollectAllowedMethods(request.Host, escapedPath, request.QueryString, request.Headers, allowed);
        current.Aggregates.CollectAllowedMethods(request.Host, escapedPath, request.QueryString, request.Headers, allowed);
        return allowed;
    }

    internal Task HandleRouteAsync(HttpContext context, CompiledRoute route, PlaceholderValues placeholders, string? dynamicPathAndQuery)
    {
        GatewayActivities.RouteMatched(context, route.Name);
        // The policy steps usually finish without waiting (an anonymous route, local counters, instances kept by the
        // background watch). Then forwarding is the request's only asynchronous step, and no state machine is
        // allocated for the policies: a ValueTask that completed synchronously costs nothing.
        var admission = AdmitAsync(context, route, placeholders, dynamicPathAndQuery);
        return admission.IsCompletedSuccessfully
            ? ForwardIfAdmittedAsync(context, route, admission.Result)
            : ForwardWhenAdmittedAsync(context, route, admission);
    }

    private async Task ForwardWhenAdmittedAsync(HttpContext context, CompiledRoute route, ValueTask<Admission?> admission)
    {
        Admission? admitted;
        try
        {
            admitted = await admission;
        }
        catch (Exception error)
        {
            await FailAsync(context, route.Name, error);
            return;
        }

        await ForwardIfAdmittedAsync(context, route, admitted);
    }

    private async Task AggregateAsync(HttpContext context, CompiledAggregate aggregate, PlaceholderValues placeholders)
    {
        GatewayActivities.RouteMatched(context, aggregate.Options.UpstreamPathTemplate);
        try
        {
            await aggregates.HandleAsync(context, aggregate, placeholders);
        }
        catch (Exception error)
        {
            await FailAsync(context, aggregate.Options.UpstreamPathTemplate, error);
        }
    }

    private Task ForwardIfAdmittedAsync(HttpContext context, CompiledRoute route, Admission? admission)
        => admission is { } admitted ? ForwardAsync(context, route, admitted) : Task.CompletedTask;

    /// <summary>
    /// Runs the route's policies up to the output cache. Returns where to forward, or null when a step already
    /// answered the client (rejected, rate-limited, no instance, served from the cache).
    /// </summary>
    private async ValueTask<Admission?> AdmitAsync(HttpContext context, CompiledRoute route, PlaceholderValues placeholders, string? dynamicPathAndQuery)
    {
        var options = route.Options;
        if (!route.IpSecurity.IsEmpty && await ipSecurity.Check(context, route.Name, route.IpSecurity).WriteIfRejectedAsync(context))
        {
            return null;
        }

        var request = context.Request;
        RequestIdHeader.Apply(context, options.RequestIdKey);
        route.RequestHeaderTransforms.Apply(request.Headers, context);

        // Rate limiting runs before authentication, as in Ocelot; a limit per token claim has to wait for it.
        var rateLimit = options.RateLimit;
        var limitByClaim = rateLimit.PartitionBy == RateLimitPartition.Claim;
        if (rateLimit.Enabled && !limitByClaim && !await rateLimiter.TryPassAsync(context, rateLimit, options.LoadBalancerKey, route.Name))
        {
            return null;
        }

        if (route.Auth.RequiresAuthentication)
        {
            using var authenticating = GatewayActivities.StartStep(GatewaySteps.Authentication, route.Name);
            if (await (await authentication.AuthenticateAsync(context, route.Name, route.Auth)).WriteIfRejectedAsync(context)
                || await authorization.Authorize(context, route.Name, route.Auth, ClaimPlaceholders(route, placeholders)).WriteIfRejectedAsync(context))
            {
                return null;
            }
        }

        if (rateLimit.Enabled && limitByClaim && !await rateLimiter.TryPassAsync(context, rateLimit, options.LoadBalancerKey, route.Name))
        {
            return null;
        }

        var claims = claimsToDownstream.Resolve(context, route.Name, route.Auth);
        if (!claims.ShouldContinue)
        {
            await claims.Rejection.ExecuteAsync(context);
            return null;
        }

        claims.ApplyTo(request);
        var query = claims.ApplyTo(request.QueryString);

        var balancing = GatewayActivities.StartStep(GatewaySteps.LoadBalancing, route.Name);
        var listed = await route.InstancesAsync(discovery, context.RequestAborted);
        // An instance registered at the gateway's own address would send the request straight back in.
        var instances = route.Options.ServiceName is null ? listed : self.Without(listed);
        var lease = await route.Balancer.LeaseAsync(context, route.Health?.Available(instances) ?? instances);
        GatewayActivities.EndBalancing(balancing, lease?.Instance.Id);
        if (lease is null)
        {
            await GatewayProblems.NoInstanceAsync(context, route.Name, options.ServiceName);
            return null;
        }

        // From here the lease is ForwardAsync's to release, unless this method ends the request itself.
        try
        {
            var pathAndQuery = dynamicPathAndQuery
                ?? route.DownstreamPath.BuildPathAndQuery(placeholders, request.Path, query, ToPlaceholders(claims.PathPlaceholders));
            CacheMiss? cacheMiss = null;
            if (options.Cache.Enabled && !route.IsWebSocket)
            {
                using var caching = GatewayActivities.StartStep(GatewaySteps.Cache, route.Name);
                (var served, cacheMiss) = await outputCache.LookupAsync(context, options.Cache, route.Auth.RequiresAuthentication);
                metrics.CacheLookedUp(route.Name, served, missed: cacheMiss is not null);
                if (served)
                {
                    lease.Dispose();
                    return null;
                }
            }

            return new Admission(lease, listed, pathAndQuery, cacheMiss);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private async Task ForwardAsync(HttpContext context, CompiledRoute route, Admission admission)
    {
        try
        {
            using var downstream = GatewayActivities.StartStep(GatewaySteps.DownstreamCall, route.Name);
            var call = new DownstreamCall(forwarder, metrics, context, route, admission.Lease, admission.Instances, admission.PathAndQuery);
            var response = route.Resilience is { } resilience
                ? await SendWithQosAsync(context, route, resilience.Pipeline, call)
                : await call.SendAsync(CancellationToken.None);
            if (response is null)
            {
                return; // QoS answered (open circuit or timeout)
            }

            using (response)
            {
                ApplyResponseHeaderTransformsOnStart(context, route, call.Destination!);
                var capture = admission.CacheMiss is { } miss ? CaptureForCache(context, route, response, miss) : null;
                await forwarder.CopyResponseAsync(context, response, capture);
                if (capture is not null)
                {
                    await capture.CompleteAsync();
                }
            }
        }
        catch (Exception error)
        {
            // Includes a response body that failed before anything reached the client: a 502 naming the route.
            await FailAsync(context, route.Name, error);
        }
        finally
        {
            // Released by the call once the downstream's headers arrived; here only if it never got that far.
            admission.Lease.Dispose();
        }
    }

    private ResponseBodyCapture CaptureForCache(HttpContext context, CompiledRoute route, DownstreamResponse response, CacheMiss miss)
    {
        // A HEAD answer declares the length of a body it does not have: it is stored once the (empty) copy is done.
        var declaredLength = HttpMethods.IsHead(context.Request.Method) ? null : response.Message.Content.Headers.ContentLength;
        return new ResponseBodyCapture(outputCache.MaxEntryBytes, declaredLength, async body =>
        {
            // Starting the response runs the response header transforms, so the entry keeps the headers clients get.
            await context.Response.StartAsync(context.RequestAborted);
            var headers = CacheableHeaders(context.Response.Headers, response.Message);
            await outputCache.TryStoreAsync(miss, route.Options.Cache, context.Response.StatusCode, headers, body.ToArray());
        });
    }

    private static void ApplyResponseHeaderTransformsOnStart(HttpContext context, CompiledRoute route, Uri destination)
    {
        if (route.ResponseHeaderTransforms.IsEmpty)
        {
            return;
        }

        context.Response.OnStarting(static state =>
        {
            var (transforms, httpContext, uri) = ((HeaderTransforms, HttpContext, Uri))state;
            transforms.Apply(httpContext.Response.Headers, httpContext, uri);
            return Task.CompletedTask;
        }, (route.ResponseHeaderTransforms, context, destination));
    }

    /// <summary>
    /// Ends a request that failed. Forwarded requests do not pass through ASP.NET Core's exception handler
    /// (see <see cref="PipelineExtensions.UseGateway"/>): one more async layer around every request costs more
    /// than this catch inside the layers the request has anyway. Every failure is answered as a forwarding error:
    /// those of the forwarder as it classified (and logged) them, a client that went away with 499, and anything
    /// else, logged here with its stack trace, with a 500 problem naming the route, without the trace.
    /// </summary>
    private Task FailAsync(HttpContext context, string route, Exception error)
    {
        var failure = error switch
        {
            ForwardingException forwarding => forwarding,
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => ForwardingException.ClientClosed(route, error),
            _ => Unexpected(route, error),
        };
        return HttpForwarder.WriteErrorAsync(context, failure);
    }

    private ForwardingException Unexpected(string route, Exception error)
    {
        LogFailedUnexpectedly(logger, route, error);
        return new ForwardingException(ForwardingError.Unexpected, StatusCodes.Status500InternalServerError, route,
            "The gateway failed while handling the request; its log has the details.", error);
    }

    private static async Task<DownstreamResponse?> SendWithQosAsync(HttpContext context, CompiledRoute route, ResiliencePipeline<HttpResponseMessage> pipeline, DownstreamCall call)
    {
        var resilienceContext = ResilienceContextPool.Shared.Get(context.RequestAborted);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(static async (ctx, call) =>
            {
                try
                {
                    return Outcome.FromResult((await call.SendAsync(ctx.CancellationToken)).Message);
                }
                catch (ForwardingException error) when (error.Error == ForwardingError.DownstreamTimedOut && ctx.CancellationToken.IsCancellationRequested)
                {
                    // The forwarder reports every cancellation as a downstream timeout; hand the QoS timeout's own
                    // cancellation back to Polly, so its timeout strategy recognises it (TimeoutRejectedException).
                    return Outcome.FromException<HttpResponseMessage>(new OperationCanceledException(error.Message, error, ctx.CancellationToken));
                }
                catch (ForwardingException error)
                {
                    return Outcome.FromException<HttpResponseMessage>(error);
                }
                finally
                {
                    ctx.Properties.Set(DownstreamOutcomes.InstanceFailureKey, call.InstanceFailure);
                }
            }, resilienceContext, call);

            switch (outcome.Exception)
            {
                case null:
                    return call.Response;
                case BrokenCircuitException open:
                    await GatewayProblems.CircuitOpenAsync(context, route.Name, open.RetryAfter ?? route.Options.Qos.BreakDuration);
                    return null;
                case TimeoutRejectedException:
                    call.Response?.Dispose();
                    await GatewayProblems.QosTimeoutAsync(context, route.Name, route.Options.Qos.Timeout ?? TimeSpan.Zero);
                    return null;
                case ForwardingException error:
                    throw error;
                default:
                    throw new ForwardingException(ForwardingError.Unexpected, StatusCodes.Status500InternalServerError, route.Name, "The request could not be forwarded.", outcome.Exception);
            }
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilienceContext);
        }
    }

    // What a failure names as its route when it happened before one was matched.
    private const string NoRouteYet = "(none matched yet)";

    private static readonly IReadOnlyDictionary<string, string> NoPlaceholders = new Dictionary<string, string>();

    // Only a RouteClaimsRequirement with a {placeholder} reads them; other routes skip the allocation.
    private static IReadOnlyDictionary<string, string> ClaimPlaceholders(CompiledRoute route, PlaceholderValues placeholders)
    {
        if (route.Auth.ClaimsRequirement.Count == 0 || placeholders.Count == 0)
        {
            return NoPlaceholders;
        }

        var values = new Dictionary<string, string>(placeholders.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in placeholders)
        {
            values[name] = value;
        }

        return values;
    }

    private static Placeholder[] ToPlaceholders(IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return [];
        }

        var placeholders = new Placeholder[values.Count];
        var i = 0;
        foreach (var (name, value) in values)
        {
            placeholders[i++] = new Placeholder(name, value);
        }

        return placeholders;
    }

    // What a cache hit replays: the downstream's headers, not the per-request ones the gateway added. Hop-by-hop
    // headers describe one connection: a replayed "Transfer-Encoding: chunked" would tell Kestrel that the body
    // is already chunked, and the client would wait forever for a chunk that never comes. The capture holds the body
    // as the downstream sent it, so a Content-Encoding the gateway's response compression added is not stored either
    // (the hit is compressed again for clients that accept it).
    private static List<KeyValuePair<string, string[]>> CacheableHeaders(IHeaderDictionary headers, HttpResponseMessage downstream)
    {
        var downstreamEncoded = downstream.Content.Headers.ContentEncoding.Count > 0;
        var stored = new List<KeyValuePair<string, string[]>>(headers.Count);
        if (downstream.Headers.Vary.Count > 0)
        {
            // The downstream's Vary, which decides what the entry answers; the compression's own is added again on a hit.
            stored.Add(new KeyValuePair<string, string[]>(HeaderNames.Vary, [.. downstream.Headers.Vary]));
        }

        foreach (var (name, values) in headers)
        {
            if (HeaderRules.IsHopByHop(name)
                || name.Equals(HeaderNames.Vary, StringComparison.OrdinalIgnoreCase)
                || (!downstreamEncoded && name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase))
                || name.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase)
                || name.Equals(RouteOutputCache.CacheStatusHeader, StringComparison.OrdinalIgnoreCase)
                || name.Equals("Date", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            stored.Add(new KeyValuePair<string, string[]>(name, values.ToArray()!));
        }

        return stored;
    }

    /// <summary>Where an admitted request goes: the instance leased for it among those listed, the downstream path and query, what the cache needs to store the response.</summary>
    private readonly record struct Admission(Lease Lease, IReadOnlyList<ServiceInstance> Instances, string PathAndQuery, CacheMiss? CacheMiss);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "Route {Route}: the gateway failed unexpectedly while handling the request")]
    private static partial void LogFailedUnexpectedly(ILogger logger, string route, Exception exception);
}
