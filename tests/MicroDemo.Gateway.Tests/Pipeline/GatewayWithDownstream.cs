namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>
/// One real downstream and the whole gateway in front of it, started before each test and stopped after it,
/// even when the test fails (or, as an xunit class fixture, once for a test class). A derived class only says
/// which ocelot.json the gateway starts with.
/// </summary>
public abstract class GatewayWithDownstream : IAsyncLifetime
{
    public Downstream Downstream { get; private set; } = null!;

    public GatewayServer Gateway { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The gateway's ocelot.json, for a downstream listening on <paramref name="downstreamPort"/>.</summary>
    protected abstract object Configuration(int downstreamPort);

    public virtual async Task InitializeAsync()
    {
        Downstream = await Downstream.StartAsync();
        Gateway = GatewayServer.Start(Configuration(Downstream.Port));
        Client = Gateway.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Downstream is not null)
        {
            await Downstream.DisposeAsync();
        }
    }
}
