using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Hosting;

/// <summary>
/// <see cref="GatewayLimitsOptions.MaxConcurrentRequests"/>: a framework <see cref="ConcurrencyLimiter"/> with no
/// queue, asked by the gateway's own request handler. Chosen over the alternatives because:
/// <list type="bullet">
/// <item>Kestrel's <c>MaxConcurrentConnections</c> alone counts connections, not requests (an HTTP/2 connection carries
/// up to 100), and a refused connection tells the client nothing; here the client gets a 503 with <c>Retry-After</c>;</item>
/// <item>ASP.NET Core's rate-limiting middleware would wrap every request in one more async layer (about 1 µs of CPU
/// per forwarded request, as the exception handler cost: docs/benchmarks.md) and would also count the health
/// endpoints, which must keep answering when the gateway is full;</item>
/// <item>no queue: a request that waited would hold its connection and memory all the same.</item>
/// </list>
/// </summary>
public sealed class ConcurrentRequestLimit : IDisposable
{
    private readonly ConcurrencyLimiter? _limiter;

    public ConcurrentRequestLimit(IOptions<GatewayLimitsOptions> options)
    {
        var permits = options.Value.MaxConcurrentRequests;
        _limiter = permits > 0
            ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 })
            : null;
    }

    /// <summary>Takes a slot for the request, held until its response completed; false when all slots are taken.</summary>
    public bool TryEnter(HttpContext context)
    {
        if (_limiter is null)
        {
            return true;
        }

        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return false;
        }

        context.Response.RegisterForDispose(lease);
        return true;
    }

    public void Dispose() => _limiter?.Dispose();
}
