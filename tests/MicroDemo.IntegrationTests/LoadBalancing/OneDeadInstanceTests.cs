using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicroDemo.ServiceDefaults;
using MicroDemo.Testing;
using Xunit.Abstractions;

namespace MicroDemo.IntegrationTests.LoadBalancing;

/// <summary>
/// Issue 19, defect 4, as a user meets it: a real gateway balancing round robin (with a circuit breaker, as the demo's
/// <c>/api/orders</c>) over two real instances found in a real Consul, one of which is killed with SIGKILL under load.
/// </summary>
public sealed class OneDeadInstanceTests(ConsulAgent consul, ITestOutputHelper output) : IClassFixture<ConsulAgent>, IAsyncLifetime
{
    private const int Requests = 4000;
    private const int Clients = 8;
    private const int KillAfter = 1000;

    private readonly TempDirectory _data = new();
    private readonly int _doomedPort = FreePorts.Next();
    private readonly List<AppProcess> _apps = [];
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { Timeout = TimeSpan.FromSeconds(30) };
    private AppProcess _gateway = null!;

    // Each case starts its own instances and gateway: the setting under test is the gateway's.
    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartStackAsync(bool retryIdempotent)
    {
        var survivor = Start(MicroDemoApps.Users, ServiceSettings.For("users", consul.Url, _data.File("survivor.db")));
        var doomed = Start(MicroDemoApps.Users, ServiceSettings.For("users", consul.Url, _data.File("doomed.db")), _doomedPort);
        File.WriteAllText(_data.File("ocelot.json"), OcelotJson());
        _gateway = Start(MicroDemoApps.Gateway, new Dictionary<string, string>
        {
            [SettingNames.GatewayOcelotFile] = _data.File("ocelot.json"),
            [SettingNames.ServiceRegisterInConsul] = "false",
            ["Gateway:PassiveHealth:RetryIdempotent"] = retryIdempotent ? "true" : "false",
        });

        await Task.WhenAll(survivor.WaitUntilPassingAsync(consul.Client, "users"), doomed.WaitUntilPassingAsync(consul.Client, "users"));
        await Task.WhenAll(NameAsync(survivor), NameAsync(doomed));
        await _gateway.WaitUntilAsync(async () => (await InstancesAnsweringAsync(20)).Count == 2, "the gateway balances over both instances");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Killing_one_of_two_instances_under_load_fails_at_most_one_percent_and_it_serves_again_soon_after_it_passes(bool retryIdempotent)
    {
        await StartStackAsync(retryIdempotent);
        var statuses = new ConcurrentDictionary<int, int>();
        var completed = 0;
        var sent = 0;
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref sent) <= Requests)
            {
                int status;
                try
                {
                    using var response = await _http.GetAsync(Probe);
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }

                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (Interlocked.Increment(ref completed) == KillAfter)
                {
                    halfway.SetResult();
                }
            }
        })).ToArray();

        await halfway.Task;
        await _apps.Single(a => a.Port == _doomedPort).KillAsync();
        await Task.WhenAll(load);

        var failed = Requests - statuses.GetValueOrDefault(200);
        var ratio = (double)failed / Requests;
        output.WriteLine($"kill -9 of one of two instances under {Clients} clients, RetryIdempotent={retryIdempotent}: {failed} of {Requests} requests failed ({ratio:P2}); "
                         + $"statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(ratio <= 0.01, $"{failed} of {Requests} requests failed ({ratio:P2}); statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}\n{Tail(_gateway.Output)}");

        var restarted = Start(MicroDemoApps.Users, ServiceSettings.For("users", consul.Url, _data.File("doomed.db")), _doomedPort);
        // Consul may still list the killed instance as passing (same ID, its check has not failed yet), and a fresh
        // process answers its first request slowly on a busy machine: both are the instance's start. The clock
        // starts once the new process answers and Consul lists it, and measures the gateway's reaction alone.
        await restarted.WaitUntilAsync(async () => await AnswersDirectlyAsync(restarted), "the restarted instance answers");
        await restarted.WaitUntilPassingAsync(consul.Client, "users");
        var passing = Stopwatch.StartNew();
        await _gateway.WaitUntilAsync(async () => (await InstancesAnsweringAsync(4)).Contains(_doomedPort), "the gateway balances to the restarted instance again");
        output.WriteLine($"the restarted instance served again {passing.ElapsedMilliseconds} ms after Consul listed it as passing");
        Assert.True(passing.Elapsed <= TimeSpan.FromSeconds(2), $"the restarted instance took {passing.Elapsed} to get traffic after passing");
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.AsEnumerable().Reverse())
        {
            await app.DisposeAsync();
        }

        _http.Dispose();
        _data.Dispose();
    }

    private Uri Probe => new(_gateway.Url, "probe");

    // Each instance keeps its own database: a user named after its port tells which instance answered a list.
    private async Task NameAsync(AppProcess instance)
    {
        using var created = await _http.PostAsJsonAsync(new Uri(instance.Url, "users"), new { name = $"instance-{instance.Port}", email = $"i{instance.Port}@example.com" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private AppProcess Start(MicroDemoApp app, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        var process = AppProcess.Start(app, settings, port);
        _apps.Add(process);
        return process;
    }

    private async Task<bool> AnswersDirectlyAsync(AppProcess instance)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(instance.Url, "users"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>The ports of the instances that answered <paramref name="count"/> requests through the gateway.</summary>
    private async Task<HashSet<int>> InstancesAnsweringAsync(int count)
    {
        var ports = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await _http.GetAsync(Probe);
            var body = await response.Content.ReadAsStringAsync();
            foreach (var app in _apps.Where(a => body.Contains($"instance-{a.Port}", StringComparison.Ordinal)))
            {
                ports.Add(app.Port);
            }
        }

        return ports;
    }

    /// <summary>The demo's <c>/api/orders</c> QoS and balancing, in front of the users instances' list (authentication is off in them).</summary>
    private string OcelotJson() => new JsonObject
    {
        ["Routes"] = new JsonArray(new JsonObject
        {
            ["UpstreamPathTemplate"] = "/probe",
            ["UpstreamHttpMethod"] = new JsonArray("GET"),
            ["DownstreamPathTemplate"] = "/users",
            ["DownstreamScheme"] = "http",
            ["ServiceName"] = "users",
            ["LoadBalancerOptions"] = new JsonObject { ["Type"] = "RoundRobin" },
            ["QoSOptions"] = new JsonObject { ["MinimumThroughput"] = 3, ["BreakDuration"] = 10_000, ["Timeout"] = 2000 },
        }),
        ["GlobalConfiguration"] = new JsonObject
        {
            ["ServiceDiscoveryProvider"] = new JsonObject { ["Scheme"] = "http", ["Host"] = "127.0.0.1", ["Port"] = consul.HttpPort, ["Type"] = "Consul" },
        },
    }.ToJsonString();

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
