using System.Diagnostics;
using System.Net;
using MicroDemo.Testing;
using Xunit.Abstractions;

namespace MicroDemo.IntegrationTests.Launcher;

/// <summary>A replica dies without warning (SIGKILL) behind the edge while clients keep sending: a stack of its own, as the kill is final.</summary>
public sealed class EdgeReplicaKillTests(EdgeStack stack, ITestOutputHelper log) : IClassFixture<EdgeStack>
{
    private const int Clients = 4;

    [Fact]
    public async Task A_replica_killed_with_SIGKILL_costs_at_most_the_requests_in_flight_on_it()
    {
        using var client = new HttpClient { BaseAddress = stack.Edge, Timeout = TimeSpan.FromSeconds(30) };
        var completed = 0;
        var failures = new List<string>();
        using var stop = new CancellationTokenSource();

        async Task SendUntilStoppedAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // A forwarded request (the gateway routes it to identity), not an answer of the gateway's own.
                    using var response = await client.GetAsync(".well-known/openid-configuration");
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        lock (failures)
                        {
                            failures.Add($"{(int)response.StatusCode}");
                        }
                    }
                }
                catch (HttpRequestException e)
                {
                    lock (failures)
                    {
                        failures.Add(e.Message);
                    }
                }

                Interlocked.Increment(ref completed);
            }
        }

        var load = Enumerable.Range(0, Clients).Select(_ => Task.Run(SendUntilStoppedAsync)).ToArray();
        try
        {
            await Eventually.TrueAsync(() => Volatile.Read(ref completed) >= 200, "200 requests through the edge before the kill", TimeSpan.FromMinutes(1));
            var beforeKill = Volatile.Read(ref completed);
            Process.GetProcessById(stack.Pid("gateway-1")).Kill();
            await Eventually.TrueAsync(() => Volatile.Read(ref completed) >= beforeKill + 400, "400 requests through the edge after the kill", TimeSpan.FromMinutes(1));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        log.WriteLine($"{completed} requests from {Clients} clients, gateway-1 killed after about 200: {failures.Count} failed ({string.Join(", ", failures)})");
        Assert.True(failures.Count <= Clients, $"{failures.Count} requests failed, more than the {Clients} that can be in flight: {string.Join(", ", failures)}");
        using var after = await client.GetAsync(".well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
