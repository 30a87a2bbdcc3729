using System.Text.RegularExpressions;
using MicroDemo.Launcher.Certificates;
using MicroDemo.Launcher.Edge;
using MicroDemo.Launcher.Processes;
using MicroDemo.Launcher.Stack;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Launcher.Edge;

/// <summary>The nginx.conf the launcher writes for the edge in front of two replicas.</summary>
public sealed class NginxConfigurationTests : IDisposable
{
    private readonly TempDirectory _run = new();

    [Fact]
    public void Balances_over_every_replica_with_passive_health_and_keepalive()
    {
        var conf = NginxConfiguration.Render(Edge());

        Assert.Contains("server 127.0.0.1:5041 max_fails=1 fail_timeout=5s; # gateway-1", conf);
        Assert.Contains("server 127.0.0.1:5042 max_fails=1 fail_timeout=5s; # gateway-2", conf);
        Assert.Contains("keepalive 32;", conf);
        Assert.Contains("proxy_http_version 1.1;", conf);
        Assert.Contains("proxy_next_upstream error timeout http_502 http_503;", conf);
        Assert.Contains("proxy_next_upstream_tries 2;", conf);
        Assert.Contains("gzip on;", conf);
    }

    [Fact]
    public void Tells_the_gateway_who_the_client_is()
    {
        var conf = NginxConfiguration.Render(Edge());

        Assert.Contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", conf);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", conf);
        Assert.Contains("proxy_set_header X-Forwarded-Host $http_host;", conf);
    }

    [Fact]
    public void Listens_on_loopback_only_and_keeps_every_file_in_the_run_folder()
    {
        var edge = Edge();
        var conf = NginxConfiguration.Render(edge);

        Assert.Equal(["127.0.0.1:5000", "127.0.0.1:5001 ssl http2"], Regex.Matches(conf, @"(?m)^\s*listen (.+);").Select(m => m.Groups[1].Value));
        Assert.Contains("daemon off;", conf);
        var paths = Regex.Matches(conf, @"(?m)^\s*(?:pid|\w+_temp_path|ssl_certificate(?:_key)?) (\S+);").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(8, paths.Length);
        Assert.All(paths, path => Assert.StartsWith(_run.Path, path));
    }

    [Fact]
    public async Task Is_a_configuration_the_real_nginx_accepts()
    {
        var stack = StackSettings.From(_ => null, RepoPaths.Root, RepoPaths.Configuration);
        var nginx = await ToolInstall.LocateAsync(stack, EdgeDefinition.InstallScript, EdgeDefinition.Needs, TextWriter.Null, CancellationToken.None);
        var edge = Edge();
        edge.Certificate.Save();
        edge.Prepare();

        var test = await Command.RunAsync(nginx, ["-t", .. edge.Arguments], TimeSpan.FromSeconds(30));

        Assert.True(test.Succeeded, test.ToString());
    }

    public void Dispose() => _run.Dispose();

    private EdgeDefinition Edge() => new(
        new PortSetting("edge", 5000, EnvironmentVariables.GatewayPort),
        new PortSetting("edge (https)", 5001, EnvironmentVariables.GatewayHttpsPort),
        [new PortSetting("gateway-1", 5041, EnvironmentVariables.GatewayReplicaPorts), new PortSetting("gateway-2", 5042, EnvironmentVariables.GatewayReplicaPorts)],
        Path.Combine(_run.Path, "edge"),
        GatewayCertificate.Plan(Path.Combine(_run.Path, "certs")));
}
