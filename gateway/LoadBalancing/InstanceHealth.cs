using MicroDemo.Gateway.Telemetry;
using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Gateway.LoadBalancing;

/// <summary>
/// Passive health of one service's instances (the balancers' key: a service name or a static route's key): failed
/// calls eject an instance from load balancing for <see cref="PassiveHealthOptions.EjectionDuration"/>. With fewer
/// than two instances listed there is nobody to eject in favour of, and nothing changes.
/// </summary>
public sealed partial class InstanceHealth(string name, PassiveHealthOptions options, TimeProvider time, ILogger logger, GatewayMetrics? metrics = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<InstanceEndpoint, Failures> _failing = [];

    // Read without the lock, so healthy services cost one volatile read per request.
    private volatile int _failingCount;

    /// <inheritdoc cref="PassiveHealthOptions.RetryIdempotent"/>
    public bool RetryIdempotent => options.RetryIdempotent;

    /// <summary>
    /// The listed instances that are not ejected, leaving out <paramref name="except"/>. When every instance is
    /// ejected and none is left out, all of them: nobody else could serve, so the route's circuit breaker decides.
    /// </summary>
    public IReadOnlyList<ServiceInstance> Available(IReadOnlyList<ServiceInstance> listed, ServiceInstance? except = null)
    {
        if (_failingCount == 0 && except is null)
        {
            return listed;
        }

        var left = except is null ? (InstanceEndpoint?)null : InstanceEndpoint.Of(except);
        lock (_gate)
        {
            ForgetUnlisted(listed);
            if (listed.Count < 2 && except is null)
            {
                return listed;
            }

            var now = time.GetUtcNow();
            var available = new List<ServiceInstance>(listed.Count);
            foreach (var instance in listed)
            {
                var endpoint = InstanceEndpoint.Of(instance);
                if (endpoint != left && !IsEjected(endpoint, now))
                {
                    available.Add(instance);
                }
            }

            return available.Count == 0 && except is null ? listed : available;
        }
    }

    /// <summary>
    /// Records a failed call. Returns true when the failure is the instance's alone: it is ejected now and another
    /// listed instance can serve, so the route's circuit breaker should not count it.
    /// </summary>
    /// <param name="connectionBroke">The connection was refused or broke, rather than a 5xx answer or a timeout.</param>
    public bool ReportFailure(ServiceInstance instance, IReadOnlyList<ServiceInstance> listed, bool connectionBroke)
    {
        if (listed.Count < 2)
        {
            return false;
        }

        var endpoint = InstanceEndpoint.Of(instance);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_failing.TryGetValue(endpoint, out var failures))
            {
                _failing[endpoint] = failures = new Failures();
                _failingCount = _failing.Count;
            }

            if (!IsEjected(endpoint, now))
            {
                failures.Consecutive++;
                if (connectionBroke || failures.OnProbation || failures.Consecutive >= options.ConsecutiveFailures)
                {
                    failures.EjectedUntil = now + options.EjectionDuration;
                    failures.OnProbation = true;
                    failures.Consecutive = 0;
                    metrics?.InstanceEjected(name, endpoint.Address, endpoint.Port);
                    LogEjected(logger, endpoint.Address, endpoint.Port, name, options.EjectionDuration.TotalMilliseconds, connectionBroke ? "a broken connection" : "failed calls");
                }
                else
                {
                    return false;
                }
            }

            foreach (var other in listed)
            {
                var otherEndpoint = InstanceEndpoint.Of(other);
                if (otherEndpoint != endpoint && !IsEjected(otherEndpoint, now))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Records a successful call: the instance's failures and probation are over.</summary>
    public void ReportSuccess(ServiceInstance instance)
    {
        if (_failingCount == 0)
        {
            return;
        }

        var endpoint = InstanceEndpoint.Of(instance);
        lock (_gate)
        {
            if (_failing.Remove(endpoint, out var failures))
            {
                _failingCount = _failing.Count;
                if (failures.OnProbation)
                {
                    LogReadmitted(logger, endpoint.Address, endpoint.Port, name);
                }
            }
        }
    }

    /// <summary>The instances ejected right now and until when (the dashboard's passive-health view).</summary>
    public IReadOnlyList<(string Address, int Port, DateTimeOffset Until)> Ejected()
    {
        if (_failingCount == 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            return [.. _failing.Where(f => f.Value.EjectedUntil > now).Select(f => (f.Key.Address, f.Key.Port, f.Value.EjectedUntil))];
        }
    }

    private bool IsEjected(InstanceEndpoint endpoint, DateTimeOffset now) =>
        _failing.TryGetValue(endpoint, out var failures) && failures.EjectedUntil > now;

    // An instance that discovery stopped listing (its check failed) is forgotten, so when it passes again it is
    // balanced to at once instead of waiting out an ejection that no longer means anything.
    private void ForgetUnlisted(IReadOnlyList<ServiceInstance> listed)
    {
        List<InstanceEndpoint>? gone = null;
        foreach (var endpoint in _failing.Keys)
        {
            if (endpoint.FindIn(listed) is null)
            {
                (gone ??= []).Add(endpoint);
            }
        }

        foreach (var endpoint in gone ?? [])
        {
            _failing.Remove(endpoint);
        }

        _failingCount = _failing.Count;
    }

    private sealed class Failures
    {
        public int Consecutive { get; set; }

        public DateTimeOffset EjectedUntil { get; set; }

        public bool OnProbation { get; set; }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Instance {Address}:{Port} of {Service} ejected from load balancing for {EjectionMs} ms after {Cause}")]
    private static partial void LogEjected(ILogger logger, string address, int port, string service, double ejectionMs, string cause);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Instance {Address}:{Port} of {Service} answered again and is back in load balancing")]
    private static partial void LogReadmitted(ILogger logger, string address, int port, string service);
}
