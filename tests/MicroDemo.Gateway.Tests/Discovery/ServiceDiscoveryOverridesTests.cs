using MicroDemo.Gateway.Discovery;

namespace MicroDemo.Gateway.Tests.Discovery;

public sealed class ServiceDiscoveryOverridesTests
{
    private static readonly ServiceDiscoveryOptions FromFile = new() { Scheme = "http", Host = "127.0.0.1", Port = 8500, Token = "t" };

    [Fact]
    public void No_override_keeps_the_file()
    {
        Assert.Equal(FromFile, new ServiceDiscoveryOverrides().ApplyTo(FromFile));
    }

    [Fact]
    public void Host_override_replaces_only_the_host()
    {
        var effective = new ServiceDiscoveryOverrides { Host = "consul" }.ApplyTo(FromFile);

        Assert.Equal(new Uri("http://consul:8500/"), effective.ConsulUrl);
        Assert.Equal("t", effective.Token);
    }

    [Fact]
    public void Port_and_scheme_overrides_apply()
    {
        var effective = new ServiceDiscoveryOverrides { Scheme = "https", Port = 8501 }.ApplyTo(FromFile);

        Assert.Equal(new Uri("https://127.0.0.1:8501/"), effective.ConsulUrl);
    }
}
