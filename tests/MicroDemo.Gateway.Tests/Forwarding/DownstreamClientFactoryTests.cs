using MicroDemo.Gateway.Forwarding;
using MicroDemo.Testing;

namespace MicroDemo.Gateway.Tests.Forwarding;

public sealed class DownstreamClientFactoryTests
{
    [Fact]
    public void Equal_settings_share_one_invoker_and_different_settings_do_not()
    {
        using var factory = new DownstreamClientFactory();

        var first = factory.GetInvoker(new DownstreamClientSettings { MaxConnectionsPerServer = 10 });
        var same = factory.GetInvoker(new DownstreamClientSettings { MaxConnectionsPerServer = 10 });
        var other = factory.GetInvoker(new DownstreamClientSettings { MaxConnectionsPerServer = 20 });

        Assert.Same(first, same);
        Assert.NotSame(first, other);
    }

    [Theory]
    [InlineData(0, int.MaxValue)]
    [InlineData(-1, int.MaxValue)]
    [InlineData(7, 7)]
    public void Max_connections_of_zero_or_less_means_unlimited(int configured, int expected)
    {
        using var handler = DownstreamClientFactory.CreateHandler(new DownstreamClientSettings { MaxConnectionsPerServer = configured });

        Assert.Equal(expected, handler.MaxConnectionsPerServer);
    }

    [Fact]
    public void Handler_is_configured_for_proxying()
    {
        using var handler = DownstreamClientFactory.CreateHandler(DownstreamClientSettings.Default);

        Assert.False(handler.UseProxy);
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.Equal(System.Net.DecompressionMethods.None, handler.AutomaticDecompression);
        Assert.True(handler.EnableMultipleHttp2Connections);
        Assert.Equal(TimeSpan.FromSeconds(15), handler.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), handler.PooledConnectionLifetime);
        Assert.Null(handler.ActivityHeadersPropagator);
        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void Tracing_and_certificate_bypass_are_opt_in()
    {
        using var handler = DownstreamClientFactory.CreateHandler(new DownstreamClientSettings { UseTracing = true, DangerousAcceptAnyServerCertificateValidator = true });

        Assert.NotNull(handler.ActivityHeadersPropagator);
        Assert.NotNull(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public async Task Released_invokers_are_disposed_after_the_drain_delay_and_kept_ones_stay_usable()
    {
        using var factory = new DownstreamClientFactory();
        var kept = new DownstreamClientSettings();
        var dropped = new DownstreamClientSettings { UseProxy = true };
        var keptInvoker = factory.GetInvoker(kept);
        var droppedInvoker = factory.GetInvoker(dropped);

        factory.ReleaseUnused([kept], TimeSpan.FromMilliseconds(10));

        Assert.Same(keptInvoker, factory.GetInvoker(kept));
        Assert.NotSame(droppedInvoker, factory.GetInvoker(dropped));
        await Eventually.TrueAsync(() => IsDisposed(droppedInvoker), "the dropped invoker is disposed");
    }

    private static bool IsDisposed(HttpMessageInvoker invoker)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/");
            _ = invoker.SendAsync(request, new CancellationToken(canceled: true));
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
