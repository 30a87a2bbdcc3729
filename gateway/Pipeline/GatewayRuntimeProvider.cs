using MicroDemo.Gateway.Configuration;
using MicroDemo.Gateway.Discovery;
using MicroDemo.Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MicroDemo.Gateway.Pipeline;

/// <summary>
/// Holds the compiled <see cref="GatewayRuntime"/> and rebuilds it whenever the configuration store
/// applies a new ocelot.json; tells service discovery which services to watch, and whether requests need trace ids.
/// </summary>
public sealed partial class GatewayRuntimeProvider : IDisposable
{
    private readonly GatewayConfigurationStore _store;
    private readonly RouteCompiler _compiler;
    private readonly IServiceDiscovery _discovery;
    private readonly RequestActivityListener _activities;
    private readonly ServiceDiscoveryOverrides _discoveryOverrides;
    private readonly ILogger<GatewayRuntimeProvider> _logger;
    private readonly IDisposable _subscription;
    private readonly Lock _gate = new();
    private GatewayRuntime _current;

    public GatewayRuntimeProvider(
        GatewayConfigurationStore store,
        RouteCompiler compiler,
        IServiceDiscovery discovery,
        RequestActivityListener activities,
        IOptions<ServiceDiscoveryOverrides> discoveryOverrides,
        ILogger<GatewayRuntimeProvider> logger)
    {
        _discoveryOverrides = discoveryOverrides.Value;
        _store = store;
        _compiler = compiler;
        _discovery = discovery;
        _activities = activities;
        _logger = logger;
        _current = Build(store.Current, previous: null);
        _subscription = ChangeToken.OnChange(store.GetReloadToken, Rebuild);
    }

    public GatewayRuntime Current => Volatile.Read(ref _current);

    public void Dispose() => _subscription.Dispose();

    private void Rebuild()
    {
        lock (_gate)
        {
            try
            {
                Volatile.Write(ref _current, Build(_store.Current, _current));
            }
            catch (Exception e)
            {
                // The store validated this configuration; a failure here is a bug, and the old routes keep serving.
                LogRebuildFailed(_logger, e);
            }
        }
    }

    private GatewayRuntime Build(GatewayConfiguration configuration, GatewayRuntime? previous)
    {
        if (configuration.Global.ServiceDiscovery is { } provider)
        {
            var names = configuration.Routes.Select(r => r.ServiceName).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);
            _discovery.Configure(_discoveryOverrides.ApplyTo(ServiceDiscoveryOptions.From(provider)), names);
        }

        _activities.Listen(RequestActivityListener.IsNeededBy(configuration));
        return _compiler.Compile(configuration, previous?.DynamicRouting);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not compile the new configuration; the previous routes keep serving")]
    private static partial void LogRebuildFailed(ILogger logger, Exception exception);
}
