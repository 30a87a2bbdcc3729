using MicroDemo.Gateway.Discovery;

namespace MicroDemo.Gateway.Tests.Discovery;

public sealed class ServiceDiscoveryOptionsTests
{
    [Theory]
    [InlineData("http", "localhost", 0, "http://localhost:8500/")]
    [InlineData("http", "consul", 8501, "http://consul:8501/")]
    [InlineData("https", "127.0.0.1", 443, "https://127.0.0.1/")]
    public void Builds_the_Consul_url_with_8500_when_Port_is_0(string scheme, string host, int port, string expected)
    {
        var options = new ServiceDiscoveryOptions { Scheme = scheme, Host = host, Port = port };

        options.Validate();
        Assert.Equal(expected, options.ConsulUrl.ToString());
    }

    [Theory]
    [InlineData("Consul", false)]
    [InlineData("consul", false)]
    [InlineData("PollConsul", true)]
    [InlineData("pollconsul", true)]
    public void Type_is_case_insensitive(string type, bool polling)
    {
        var options = new ServiceDiscoveryOptions { Type = type };

        options.Validate();
        Assert.Equal(polling, options.IsPolling);
    }

    [Theory]
    [InlineData(0, 1000)]
    [InlineData(250, 250)]
    [InlineData(1, 100)]
    public void PollConsul_polls_every_PollingInterval_ms_with_a_default_and_a_floor(int pollingInterval, int expectedMs)
    {
        var options = new ServiceDiscoveryOptions { Type = "PollConsul", PollingInterval = pollingInterval };

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.EffectivePollingInterval);
    }

    [Theory]
    [InlineData("Eureka", "http", "localhost", 0, "Type")]
    [InlineData("Kube", "http", "localhost", 0, "Type")]
    [InlineData("Consul", "ftp", "localhost", 0, "Scheme")]
    [InlineData("Consul", "http", "", 0, "Host")]
    [InlineData("Consul", "http", "local host", 0, "Host")]
    [InlineData("Consul", "http", "localhost", 70000, "Port")]
    public void Invalid_options_name_the_key(string type, string scheme, string host, int port, string key)
    {
        var options = new ServiceDiscoveryOptions { Type = type, Scheme = scheme, Host = host, Port = port };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(key, error.ParamName);
        Assert.Contains($"ServiceDiscoveryProvider.{key}", error.Message);
    }

    [Fact]
    public void The_token_is_never_printed()
    {
        var options = new ServiceDiscoveryOptions { Token = "s3cr3t-token" };

        Assert.DoesNotContain("s3cr3t-token", options.ToString());
        Assert.Contains("with a token", options.ToString());
    }
}
