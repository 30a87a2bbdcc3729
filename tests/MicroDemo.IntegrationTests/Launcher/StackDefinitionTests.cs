using MicroDemo.Launcher;
using MicroDemo.Launcher.Certificates;
using MicroDemo.Launcher.Stack;
using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Launcher;

/// <summary>The launcher's one process table: every app, its ports and the settings it is given.</summary>
public sealed class StackDefinitionTests
{
    private static readonly GatewayCertificate Certificate = new("/run/certs/gateway.pfx", "secret");

    [Fact]
    public void Default_stack_is_identity_users_two_orders_and_the_gateway_on_the_documented_ports()
    {
        var apps = StackDefinition.Apps(Settings(), Certificate);

        Assert.Equal(
            [("identity", 5010), ("users", 5021), ("orders-1", 5031), ("orders-2", 5032), ("gateway", 5000)],
            apps.Select(app => (app.Name, app.Port.Port)));
        Assert.Equal(5001, Assert.Single(apps, app => app.HttpsPort is not null).HttpsPort!.Port);
    }

    [Fact]
    public void Every_app_is_told_where_to_listen_and_register_with_the_names_from_SettingNames()
    {
        var stack = Settings();

        foreach (var app in StackDefinition.Apps(stack, Certificate))
        {
            var environment = app.Environment(stack);
            Assert.Equal($"http://127.0.0.1:{app.Port.Port}", environment["ASPNETCORE_URLS"]);
            Assert.Equal("http://127.0.0.1:8500", environment[SettingNames.ToEnvironmentVariable(SettingNames.ConsulUrl)]);
            Assert.Equal(app.ServiceName, environment[SettingNames.ToEnvironmentVariable(SettingNames.ServiceName)]);
            Assert.Equal("127.0.0.1", environment[SettingNames.ToEnvironmentVariable(SettingNames.ServiceAddress)]);
        }
    }

    [Theory]
    [InlineData("users", SettingNames.DatabasePath, "/run/data/users.db")]
    [InlineData("orders-1", SettingNames.DatabasePath, "/run/data/orders.db")]
    [InlineData("orders-2", SettingNames.DatabasePath, "/run/data/orders.db")]
    [InlineData("identity", SettingNames.IdentityKeyPath, "/run/data/identity/signing-keys.json")] // not under bin/, which a clean build empties
    [InlineData("users", SettingNames.IdentityAuthority, "http://127.0.0.1:5010")]
    [InlineData("orders-1", SettingNames.IdentityAuthority, "http://127.0.0.1:5010")]
    [InlineData("gateway", SettingNames.IdentityAuthority, "http://127.0.0.1:5010")]
    [InlineData("gateway", SettingNames.GatewayOcelotFile, "/repo/ocelot.json")]
    [InlineData("gateway", SettingNames.GatewayHttpsPort, "5001")]
    [InlineData("gateway", SettingNames.GatewayHttpsCertificatePath, "/run/certs/gateway.pfx")]
    [InlineData("gateway", SettingNames.GatewayHttpsCertificatePassword, "secret")]
    public void App_gets_its_own_settings(string app, string key, string expected)
    {
        var stack = Settings();

        var environment = StackDefinition.Apps(stack, Certificate).Single(a => a.Name == app).Environment(stack);

        Assert.Equal(expected, environment[SettingNames.ToEnvironmentVariable(key)]);
    }

    [Fact]
    public void Every_app_names_a_project_that_exists()
    {
        foreach (var app in StackDefinition.Apps(Settings(), Certificate))
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, app.Project, app.Assembly + ".csproj")), $"{app.Name}: {app.Project}/{app.Assembly}.csproj");
        }
    }

    [Fact]
    public void Ports_and_instances_follow_the_environment()
    {
        var stack = Settings(new()
        {
            ["MICRODEMO_USERS_PORT"] = "6021",
            ["MICRODEMO_ORDERS_PORTS"] = "6031, 6032, 6033",
            ["MICRODEMO_ORDERS_2_PORT"] = "7032",
            ["MICRODEMO_CONSUL_PORT"] = "9500",
        });

        var apps = StackDefinition.Apps(stack, Certificate);

        Assert.Equal([6031, 7032, 6033], apps.Where(a => a.ServiceName == "orders").Select(a => a.Port.Port));
        Assert.Equal(6021, apps.Single(a => a.Name == "users").Port.Port);
        Assert.Equal("http://127.0.0.1:9500", apps[0].Environment(stack)[SettingNames.ToEnvironmentVariable(SettingNames.ConsulUrl)]);
    }

    [Fact]
    public void Two_replicas_listen_on_5041_and_5042_behind_the_edge_on_5000_and_5001_and_trust_it()
    {
        var stack = Settings(new() { ["MICRODEMO_GATEWAY_REPLICAS"] = "2" });

        var gateways = StackDefinition.Apps(stack, Certificate).Where(app => app.ServiceName == "gateway").ToArray();

        Assert.Equal([("gateway-1", 5041), ("gateway-2", 5042)], gateways.Select(app => (app.Name, app.Port.Port)));
        Assert.All(gateways, gateway =>
        {
            var environment = gateway.Environment(stack);
            Assert.Null(gateway.HttpsPort); // TLS ends at the edge
            Assert.False(environment.ContainsKey(SettingNames.ToEnvironmentVariable(SettingNames.GatewayHttpsPort)));
            Assert.Equal("127.0.0.1", environment[SettingNames.ToEnvironmentVariable(SettingNames.GatewayTrustedProxies + ":0")]);
            // What the replicas must agree on is shared: counters and cache in the stack's Redis, the configuration in Consul KV.
            Assert.Equal("127.0.0.1:6379", environment[SettingNames.ToEnvironmentVariable(SettingNames.GatewayRedisConfiguration)]);
            Assert.Equal("Consul", environment[SettingNames.ToEnvironmentVariable(SettingNames.GatewayConfigurationStore)]);
        });
        Assert.Equal(("redis", 6379), (stack.Ports.Redis?.Owner, stack.Ports.Redis?.Port));
        Assert.Equal(("edge", 5000), (stack.Ports.Gateway.Owner, stack.Ports.Gateway.Port));
        Assert.Equal(5001, stack.Ports.GatewayHttps.Port);
    }

    [Fact]
    public void One_gateway_trusts_no_forwarded_header_and_runs_no_edge()
    {
        var stack = Settings();

        var gateway = Assert.Single(StackDefinition.Apps(stack, Certificate), app => app.ServiceName == "gateway");
        Assert.Null(stack.Ports.Redis);
        Assert.False(gateway.Environment(stack).ContainsKey(SettingNames.ToEnvironmentVariable(SettingNames.GatewayRedisConfiguration)));

        Assert.False(stack.Ports.HasEdge);
        Assert.DoesNotContain(gateway.Environment(stack).Keys, key => key.StartsWith("Gateway__ForwardedHeaders", StringComparison.Ordinal));
    }

    [Fact]
    public void Edge_opt_in_puts_the_edge_in_front_of_one_replica_and_replica_ports_follow_the_environment()
    {
        var optIn = StackDefinition.Apps(Settings(new() { ["MICRODEMO_EDGE"] = "1" }), Certificate);
        var moved = StackDefinition.Apps(Settings(new() { ["MICRODEMO_GATEWAY_REPLICAS"] = "3", ["MICRODEMO_GATEWAY_REPLICA_PORTS"] = "6041,6042,6043" }), Certificate);

        Assert.Equal([("gateway-1", 5041)], optIn.Where(a => a.ServiceName == "gateway").Select(a => (a.Name, a.Port.Port)));
        Assert.Equal([6041, 6042, 6043], moved.Where(a => a.ServiceName == "gateway").Select(a => a.Port.Port));
    }

    [Fact]
    public void Only_starts_the_named_services()
    {
        var apps = StackDefinition.Apps(Settings(new() { ["MICRODEMO_ONLY"] = "users,orders" }), Certificate);

        Assert.Equal(["users", "orders-1", "orders-2"], apps.Select(a => a.Name));
    }

    [Theory]
    [InlineData("MICRODEMO_USERS_PORT", "abc", "MICRODEMO_USERS_PORT='abc' is not a TCP port")]
    [InlineData("MICRODEMO_GATEWAY_PORT", "70000", "MICRODEMO_GATEWAY_PORT='70000' is not a TCP port")]
    [InlineData("MICRODEMO_ORDERS_PORTS", "5021", "Port 5021 is given to more than one process: users (MICRODEMO_USERS_PORT) and orders-1")]
    [InlineData("MICRODEMO_UP_TIMEOUT", "soon", "MICRODEMO_UP_TIMEOUT='soon'")]
    [InlineData("MICRODEMO_GATEWAY_REPLICAS", "0", "MICRODEMO_GATEWAY_REPLICAS='0' is not a number of gateway processes")]
    [InlineData("MICRODEMO_GATEWAY_REPLICAS", "two", "MICRODEMO_GATEWAY_REPLICAS='two' is not a number of gateway processes")]
    public void Bad_environment_is_a_clear_error(string variable, string value, string message)
    {
        var error = Assert.Throws<LauncherException>(() => Settings(new() { [variable] = value }));

        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Replica_ports_must_name_one_port_per_replica()
    {
        var error = Assert.Throws<LauncherException>(() => Settings(new() { ["MICRODEMO_GATEWAY_REPLICAS"] = "2", ["MICRODEMO_GATEWAY_REPLICA_PORTS"] = "6041" }));

        Assert.Equal("MICRODEMO_GATEWAY_REPLICA_PORTS lists 1 port(s) for 2 replica(s) (MICRODEMO_GATEWAY_REPLICAS); give one port per replica.", error.Message);
        var clash = Assert.Throws<LauncherException>(() => Settings(new() { ["MICRODEMO_GATEWAY_REPLICAS"] = "2", ["MICRODEMO_GATEWAY_REPLICA_PORTS"] = "5001,5042" }));
        Assert.Equal("Port 5001 is given to more than one process: edge (https) (MICRODEMO_GATEWAY_HTTPS_PORT) and gateway-1 (MICRODEMO_GATEWAY_REPLICA_PORTS).", clash.Message);
    }

    [Fact]
    public void Unknown_service_in_only_is_a_clear_error()
    {
        var error = Assert.Throws<LauncherException>(() => StackDefinition.Apps(Settings(new() { ["MICRODEMO_ONLY"] = "users,billing" }), Certificate));

        Assert.Contains("billing", error.Message);
    }

    private static StackSettings Settings(Dictionary<string, string>? variables = null) =>
        StackSettings.From(name => variables?.GetValueOrDefault(name), "/repo", "Release") with { RunDirectory = "/run" };
}
