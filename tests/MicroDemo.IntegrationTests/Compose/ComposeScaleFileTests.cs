using System.Net;
using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;
using YamlDotNet.RepresentationModel;

namespace MicroDemo.IntegrationTests.Compose;

/// <summary>
/// docker-compose.scale.yml, read: the edge is the only way in, the replicas believe it and nobody else, and they
/// share their state in Redis and Consul KV. The compose track's step C8 runs it for real.
/// </summary>
public sealed class ComposeScaleFileTests
{
    private static readonly ComposeFile Scale = ComposeFile.Scale;

    [Fact]
    public void Edge_publishes_the_gateway_port_on_loopback_and_the_replicas_publish_none()
    {
        var edgePort = ComposeFile.Scalar(Assert.Single(((YamlSequenceNode)Scale.Child("edge", "ports")!).Children));
        Assert.StartsWith("127.0.0.1:${MICRODEMO_GATEWAY_PORT:-", edgePort, StringComparison.Ordinal);
        Assert.Equal([(5000, 8080)], Scale.PublishedPorts("edge"));

        // Two replicas cannot share host port 5000: the base file's list is reset, not extended.
        var gatewayPorts = Assert.IsType<YamlSequenceNode>(Scale.Child("gateway", "ports"));
        Assert.Equal("!reset", gatewayPorts.Tag.Value);
        Assert.Empty(gatewayPorts.Children);
    }

    [Fact]
    public void Replicas_trust_forwarded_headers_from_the_edge_address_only_which_no_other_container_can_get()
    {
        var trusted = ComposeFile.WithDefaults(Environment(SettingNames.GatewayTrustedProxies + ":0"));
        var edgeAddress = ComposeFile.WithDefaults(ComposeFile.Scalar(Node(Scale.Services["edge"], "networks", "default", "ipv4_address")));
        Assert.Equal(edgeAddress, trusted);

        var pool = (YamlMappingNode)((YamlSequenceNode)Node(Scale.Root, "networks", "default", "ipam", "config")).Children.Single();
        var subnet = IPNetwork.Parse(ComposeFile.WithDefaults(ComposeFile.Scalar(Node(pool, "subnet"))));
        var dynamicRange = IPNetwork.Parse(ComposeFile.WithDefaults(ComposeFile.Scalar(Node(pool, "ip_range"))));
        var address = IPAddress.Parse(edgeAddress);
        Assert.True(subnet.Contains(address), $"the edge's address {address} must be inside the network's subnet {subnet}.");
        Assert.False(dynamicRange.Contains(address), $"the edge's address {address} must be outside ip_range {dynamicRange}, where Docker gives other containers theirs.");
    }

    [Fact]
    public void Replicas_share_counters_and_cache_in_the_redis_service_and_the_configuration_in_consul_kv()
    {
        Assert.Equal("redis:6379", Environment(SettingNames.GatewayRedisConfiguration));
        Assert.True(Scale.Services.ContainsKey("redis"));
        Assert.Equal("Consul", Environment(SettingNames.GatewayConfigurationStore));
        // Each replica registers its own container's address, so under an ID of its own.
        Assert.Equal("true", Environment(SettingNames.ServiceUseHostAddress));
        Assert.Contains("redis", ((YamlMappingNode)Scale.Child("gateway", "depends_on")!).Children.Keys.Select(ComposeFile.Scalar));
    }

    [Theory]
    [InlineData("redis", "MICRODEMO_REDIS_IMAGE", "redis:")]
    [InlineData("edge", "MICRODEMO_NGINX_IMAGE", "nginx:")]
    public void Image_is_a_variable_that_defaults_to_the_official_image_and_has_a_local_stand_in(string service, string variable, string official)
    {
        var image = ComposeFile.Scalar(Scale.Child(service, "image")!);

        Assert.StartsWith($"${{{variable}:-", image, StringComparison.Ordinal);
        Assert.StartsWith(official, ComposeFile.WithDefaults(image), StringComparison.Ordinal);
        Assert.Contains(variable, File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts", "local-images.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void Edge_configuration_reads_the_replica_list_its_start_script_writes()
    {
        var (source, target, mode) = Assert.Single(Scale.Volumes("edge"));
        Assert.Equal("ro", mode);
        var folder = Path.Combine(RepoPaths.Root, source);
        var script = File.ReadAllText(Path.Combine(folder, "edge.sh"));
        var config = File.ReadAllText(Path.Combine(folder, "nginx.conf"));

        Assert.Contains($"{target}/edge.sh", ComposeFile.Scalar(((YamlSequenceNode)Scale.Child("edge", "command")!).Children[^1]), StringComparison.Ordinal);
        Assert.Contains($"config={target}/nginx.conf", script, StringComparison.Ordinal);
        Assert.Contains("replicas=/tmp/edge/replicas.conf", script, StringComparison.Ordinal);
        Assert.Contains("include /tmp/edge/replicas.conf;", config, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", config, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("edge")]
    public void Service_has_a_healthcheck_the_others_can_wait_for(string service) =>
        Assert.IsType<YamlMappingNode>(Scale.Child(service, "healthcheck"));

    private static string Environment(string setting) =>
        Scale.Environment("gateway")[SettingNames.ToEnvironmentVariable(setting)];

    private static YamlNode Node(YamlMappingNode start, params string[] path) =>
        path.Aggregate((YamlNode)start, (node, key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)]);
}
