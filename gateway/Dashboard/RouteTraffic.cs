using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MicroDemo.Gateway.Telemetry;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>
/// Listens to the same instruments OpenTelemetry exports (this gateway's only: the meter factory is the DI
/// container's) and keeps what the dashboard shows: per route, the last minute of requests from ASP.NET Core's
/// <c>http.server.request.duration</c>, cache hits and misses, and rate-limit refusals.
/// </summary>
public sealed class RouteTraffic : IDisposable
{
    private const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string RequestDuration = "http.server.request.duration";
    private const string CacheLookups = "microdemo.gateway.cache.lookups";
    private const string RateLimitRejections = "microdemo.gateway.rate_limit.rejections";

    private readonly TimeProvider _time;
    private readonly MeterListener _listener;
    // Keyed by route and method: routes may share an upstream template and differ by method (GET and POST /api/orders).
    private readonly ConcurrentDictionary<(string Route, string Method), TrafficWindow> _windows = new();
    private readonly ConcurrentDictionary<string, RouteCounters> _counters = new(StringComparer.Ordinal);

    public RouteTraffic(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters)
                    && ((instrument.Meter.Name == HostingMeter && instrument.Name == RequestDuration)
                        || (instrument.Meter.Name == GatewayMetrics.MeterName && instrument.Name is CacheLookups or RateLimitRejections)))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>(OnDuration);
        _listener.SetMeasurementEventCallback<long>(OnCount);
        _listener.Start();
    }

    /// <summary>The traffic of <paramref name="route"/> with one of <paramref name="methods"/> (empty: any method).</summary>
    public TrafficSummary Summarize(string route, IReadOnlySet<string> methods) =>
        TrafficWindow.Summarize(
            _windows.Where(w => w.Key.Route == route && (methods.Count == 0 || methods.Contains(w.Key.Method))).Select(w => w.Value),
            _time.GetUtcNow().ToUnixTimeSeconds());

    public RouteCounters Counters(string route) => _counters.GetOrAdd(route, _ => new RouteCounters());

    public (long Hits, long Misses) CacheTotals()
    {
        long hits = 0, misses = 0;
        foreach (var counters in _counters.Values)
        {
            hits += counters.CacheHits;
            misses += counters.CacheMisses;
        }

        return (hits, misses);
    }

    public void Dispose() => _listener.Dispose();

    private void OnDuration(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? route = null, method = null;
        var status = 0;
        foreach (var (key, value) in tags)
        {
            if (key == GatewayActivities.RouteTag)
            {
                route = value as string;
            }
            else if (key == "http.request.method")
            {
                method = value as string;
            }
            else if (key == "http.response.status_code" && value is int code)
            {
                status = code;
            }
        }

        if (route is not null)
        {
            _windows.GetOrAdd((route, method ?? "_OTHER"), _ => new TrafficWindow()).Record(_time.GetUtcNow().ToUnixTimeSeconds(), seconds * 1000, status >= 500);
        }
    }

    private void OnCount(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? route = null;
        var hit = false;
        foreach (var (key, tag) in tags)
        {
            if (key == GatewayActivities.RouteTag)
            {
                route = tag as string;
            }
            else if (key == "result")
            {
                hit = tag is "hit";
            }
        }

        if (route is null)
        {
            return;
        }

        var counters = Counters(route);
        if (instrument.Name == RateLimitRejections)
        {
            counters.AddRateLimited(value);
        }
        else
        {
            counters.AddCacheLookups(hit, value);
        }
    }
}

/// <summary>A route's counts since the gateway started.</summary>
public sealed class RouteCounters
{
    private long _cacheHits;
    private long _cacheMisses;
    private long _rateLimited;

    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public long CacheMisses => Interlocked.Read(ref _cacheMisses);

    public long RateLimited => Interlocked.Read(ref _rateLimited);

    internal void AddCacheLookups(bool hit, long count) => Interlocked.Add(ref hit ? ref _cacheHits : ref _cacheMisses, count);

    internal void AddRateLimited(long count) => Interlocked.Add(ref _rateLimited, count);
}
