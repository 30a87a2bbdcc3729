using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MicroDemo.Testing;
using Xunit.Abstractions;

namespace MicroDemo.IntegrationTests.Configuration;

/// <summary>Two gateway processes sharing their configuration through Consul KV (issue 20, item 1).</summary>
public sealed class ConsulKvReplicasTests(ConsulKvReplicas stack, ITestOutputHelper output) : IClassFixture<ConsulKvReplicas>
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task The_first_replica_seeds_the_empty_key_from_ocelot_json_and_the_other_does_not()
    {
        var stored = await stack.Consul.Client.GetKeyAsync(ConsulKvReplicas.Key, 0, TimeSpan.Zero, CancellationToken.None);

        Assert.Contains("/probe/seeded", stored.Value);
        Assert.Equal(1, stack.SeedersAtStartup);
    }

    [Fact]
    public async Task A_configuration_posted_on_replica_A_is_answered_by_replica_B_within_a_second()
    {
        var posted = stack.Document(["/probe/seeded", "/probe/posted-on-a"]);
        var token = await stack.AdminTokenAsync();
        // A's first admin request fetches the token service's signing keys; keep that out of the measurement.
        using (var warmUp = await stack.PostConfigurationAsync(stack.A, stack.Document(["/probe/seeded"]), token))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }


        var stopwatch = Stopwatch.StartNew();
        using var response = await stack.PostConfigurationAsync(stack.A, posted, token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answeredOnA = stopwatch.Elapsed;
        while (!await stack.IsRoutedAsync(stack.B, "/probe/posted-on-a"))
        {
            Assert.True(stopwatch.Elapsed < Propagation + answeredOnA, $"replica B does not route the posted path {stopwatch.Elapsed.TotalMilliseconds:0} ms after the POST");
            await Task.Delay(10);
        }

        var answeredOnB = stopwatch.Elapsed;
        output.WriteLine($"POST answered by A after {answeredOnA.TotalMilliseconds:0} ms; B routes the new path {(answeredOnB - answeredOnA).TotalMilliseconds:0} ms later ({answeredOnB.TotalMilliseconds:0} ms after the POST was sent)");
        Assert.True(answeredOnB - answeredOnA < Propagation);
        Assert.True(await stack.IsRoutedAsync(stack.A, "/probe/posted-on-a"));
    }

    [Fact]
    public async Task An_invalid_document_written_by_hand_leaves_both_replicas_serving_and_Degraded_until_a_valid_one_arrives()
    {
        var invalid = stack.Document(["/probe/seeded", "no-leading-slash"]);
        await stack.Consul.Client.PutKeyAsync(ConsulKvReplicas.Key, invalid.ToJsonString(), checkAndSet: null, CancellationToken.None);

        foreach (var gateway in stack.Gateways)
        {
            await gateway.WaitUntilAsync(async () => (await stack.ReadinessAsync(gateway)).Status == "Degraded", "/health/ready says Degraded");
            var (_, configuration) = await stack.ReadinessAsync(gateway);
            Assert.Contains($"Consul KV key '{ConsulKvReplicas.Key}' was refused", configuration);
            Assert.True(await stack.IsRoutedAsync(gateway, "/probe/seeded"), "the previous configuration keeps serving");
            Assert.Contains("'no-leading-slash' does not start with a forward slash", gateway.Output);
        }

        var valid = stack.Document(["/probe/seeded", "/probe/restored"]);
        await stack.Consul.Client.PutKeyAsync(ConsulKvReplicas.Key, valid.ToJsonString(), checkAndSet: null, CancellationToken.None);

        foreach (var gateway in stack.Gateways)
        {
            await stack.WaitUntilRoutedAsync(gateway, "/probe/restored");
            Assert.Equal("Healthy", (await stack.ReadinessAsync(gateway)).Status);
        }
    }

    [Fact]
    public async Task With_Consul_stopped_both_replicas_keep_serving_and_the_key_is_seeded_again_when_it_returns()
    {
        await stack.Consul.StopAsync();
        try
        {
            foreach (var gateway in stack.Gateways)
            {
                await gateway.WaitUntilAsync(async () => (await stack.ReadinessAsync(gateway)).Status == "Degraded", "/health/ready says Degraded");
                Assert.Contains($"Degraded: Consul KV key '{ConsulKvReplicas.Key}' cannot be read", (await stack.ReadinessAsync(gateway)).Configuration);
                Assert.True(await stack.IsRoutedAsync(gateway, "/probe/seeded"), "the running configuration keeps serving");
            }
        }
        finally
        {
            await stack.Consul.StartAsync();
        }

        // A dev agent forgets its data: the key is empty again, and a replica puts its running configuration back.
        await Eventually.TrueAsync(
            async () => (await stack.Consul.Client.GetKeyAsync(ConsulKvReplicas.Key, 0, TimeSpan.Zero, CancellationToken.None)).Value is { } value
                && JsonNode.Parse(value)!["Routes"]!.AsArray().Any(r => (string?)r!["UpstreamPathTemplate"] == "/probe/seeded"),
            "the key holds the running configuration again");
        foreach (var gateway in stack.Gateways)
        {
            await gateway.WaitUntilAsync(async () => (await stack.ReadinessAsync(gateway)).Status == "Healthy", "/health/ready says Healthy again");
        }
    }
}
