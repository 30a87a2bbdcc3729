using System.Globalization;
using MicroDemo.Gateway.Caching;
using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Discovery;
using MicroDemo.Gateway.LoadBalancing;
using MicroDemo.Gateway.Pipeline;
using MicroDemo.Gateway.Resilience;
using MicroDemo.Gateway.Telemetry;
using MicroDemo.ServiceDefaults.Consul;
using MicroDemo.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace MicroDemo.Gateway.Dashboard;

/// <summary>
/// Builds the dashboard's <see cref="DashboardSnapshot"/>, at most once per refresh interval however many pages
/// are open: Consul is asked once per interval, not once per page.
/// </summary>
public sealed partial class DashboardSnapshots(
    GatewayRuntimeProvider runtime,
    ConsulServiceDiscovery discovery,
    InstanceHealthRegistry passiveHealth,
    RouteResilienceRegistry resilience,
    RateLimitWatch rateLimits,
    RouteTraffic traffic,
    IResponseCacheStore cache,
    ConfigurationHistory configuration,
    ServiceIdentity self,
    IOptions<DashboardOptions> options,
    TimeProvider time,
    ILogger<DashboardSnapshots> logger)
{
    private static readonly TimeSpan ConsulTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _building = new(1, 1);
    private DashboardSnapshot? _last;

    public async Task<DashboardSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_last) is { } fresh)
        {
            return fresh;
        }

        await _building.WaitAsync(cancellationToken);
        try
        {
            return Fresh(_last) ?? (_last = await BuildAsync(cancellationToken));
        }
        finally
        {
            _building.Release();
        }
    }

    private DashboardSnapshot? Fresh(DashboardSnapshot? snapshot) =>
        snapshot is not null && time.GetUtcNow() - snapshot.At < options.Value.RefreshInterval * 0.9 ? snapshot : null;

    private async Task<DashboardSnapshot> BuildAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var routes = runtime.Current.Configuration.Routes;
        var tripped = resilience.TrippedCircuits();
        var services = await ServicesAsync(routes, cancellationToken);
        var (hits, misses) = traffic.CacheTotals();
        return new DashboardSnapshot(
            now,
            self.Id,
            configuration.Current,
            [.. routes.Select(route => RouteView(route, tripped))],
            services,
            [.. tripped.Select(c => new CircuitView(c.RouteName, GatewayMetrics.StateName(c.Status), Math.Round(c.RetryAfter.TotalSeconds, 1)))],
            [.. rateLimits.Current().Select(p => new RateLimitView(p.Route, p.Client, p.Used, p.Limit, Math.Max(0, Math.Round((p.ResetAt - now).TotalSeconds, 1)), p.Rejected))],
            new CacheView(cache is ResponseCacheStore local ? local.Count : null, hits, misses));
    }

    private RouteView RouteView(GatewayRoute route, IReadOnlyList<CircuitMonitor> tripped)
    {
        var counters = traffic.Counters(route.UpstreamPathTemplate);
        var qos = route.Qos;
        string? circuit = null;
        if (qos.CircuitBreakerEnabled)
        {
            circuit = tripped.FirstOrDefault(c => c.RouteName == route.UpstreamPathTemplate) is { } monitor ? GatewayMetrics.StateName(monitor.Status) : "closed";
        }

        var authenticated = route.Authentication.ProviderKeys.Count > 0 && !route.Authentication.AllowAnonymous;
        return new RouteView(
            route.UpstreamPathTemplate,
            route.UpstreamHttpMethods.Count == 0 ? ["ANY"] : [.. route.UpstreamHttpMethods.Order(StringComparer.Ordinal)],
            route.ServiceName ?? string.Join(", ", route.DownstreamHostAndPorts),
            authenticated ? route.Authentication.AllowedScopes : null,
            authenticated,
            route.RateLimit.Enabled ? $"{route.RateLimit.Limit} per {route.RateLimit.PeriodText}" : null,
            route.Cache.Enabled ? route.Cache.TtlSeconds : null,
            qos.Enabled ? QosText(qos) : null,
            circuit,
            traffic.Summarize(route.UpstreamPathTemplate, route.UpstreamHttpMethods),
            counters.RateLimited,
            counters.CacheHits,
            counters.CacheMisses);
    }

    private static string QosText(QosSettings qos)
    {
        var parts = new List<string>(2);
        if (qos.CircuitBreakerEnabled)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"break after {qos.MinimumThroughput} failures for {qos.BreakDuration.TotalSeconds:0.#} s"));
        }

        if (qos.Timeout is { } timeout)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"timeout {timeout.TotalSeconds:0.#} s"));
        }

        return string.Join(", ", parts);
    }

    private async Task<IReadOnlyList<ServiceView>> ServicesAsync(IReadOnlyList<GatewayRoute> routes, CancellationToken cancellationToken)
    {
        var watched = discovery.GetStatus();
        var names = routes.Select(r => r.ServiceName).OfType<string>()
            .Concat(watched.Services.Select(s => s.ServiceName))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0 || watched.ConsulUrl is null)
        {
            return [];
        }

        var ejected = passiveHealth.Services.ToDictionary(s => s.Key, s => s.Value.Ejected(), StringComparer.Ordinal);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConsulTimeout);
        return await Task.WhenAll(names.Select(async name =>
        {
            var status = watched.Services.FirstOrDefault(s => s.ServiceName == name)?.State;
            try
            {
                var instances = await discovery.Connection.Client.GetInstanceHealthAsync(name, timeout.Token);
                var ejectedHere = ejected.GetValueOrDefault(name) ?? [];
                return new ServiceView(name, status, [.. instances.Select(i => new InstanceView(
                    i.Instance.Id,
                    i.Instance.Address,
                    i.Instance.Port,
                    i.Status,
                    ejectedHere.Where(e => e.Address == i.Instance.Address && e.Port == i.Instance.Port).Select(e => (DateTimeOffset?)e.Until).FirstOrDefault()))], null);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
            {
                LogConsulUnavailable(logger, name, e.Message);
                return new ServiceView(name, status, [], "Consul did not answer");
            }
        }));
    }

    [LoggerMessage(EventId = 2901, Level = LogLevel.Debug, Message = "Dashboard: Consul did not list {Service}: {Reason}")]
    private static partial void LogConsulUnavailable(ILogger logger, string service, string reason);
}
