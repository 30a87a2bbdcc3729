using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MicroDemo.ServiceDefaults.Hosting;
using MicroDemo.Testing;

namespace MicroDemo.IntegrationTests.Launcher;

/// <summary>
/// ./demo end to end, as a user runs it, but on free ports and in a temporary run folder so it never
/// meets the user's own stack (8500, .run/). It starts the apps this test build built.
/// </summary>
public sealed class DemoScriptTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = DemoScript.CommandTimeout;

    private readonly TempDirectory _run = new();
    private readonly Dictionary<string, string> _environment;
    private readonly DemoScript _demo;

    public DemoScriptTests()
    {
        _environment = IsolatedStack.Environment(_run.Path);
        _demo = new DemoScript(_environment, _run.Path);
    }

    [Fact]
    public async Task Up_detached_then_status_then_down_runs_and_removes_the_whole_stack()
    {
        var consul = new Uri($"http://127.0.0.1:{_environment["MICRODEMO_CONSUL_PORT"]}/");
        try
        {
            var up = await _demo.RunAsync("up", "-d");

            Assert.True(up.ExitCode == 0, up.Text);
            Assert.Contains("PROCESS", up.Output);
            foreach (var name in (string[])["consul", "identity", "users", "orders-1", "orders-2", "gateway"])
            {
                Assert.Matches($@"(?m)^{name}\s+\d+\s+http://127\.0\.0\.1:\d+\S*(\s+https://\S+)?\s+passing\s", up.Output);
            }

            using (var http = new HttpClient { BaseAddress = consul })
            {
                using var orders = JsonDocument.Parse(await http.GetStringAsync("v1/health/service/orders?passing=true"));
                Assert.Equal(2, orders.RootElement.GetArrayLength());
            }

            using (var gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_environment["MICRODEMO_GATEWAY_PORT"]}/") })
            {
                // Routed by the repo's ocelot.json, through discovery on the overridden Consul port, to a protected route.
                using var users = await gateway.GetAsync("api/users");
                Assert.Equal(HttpStatusCode.Unauthorized, users.StatusCode);
            }

            var status = await _demo.RunAsync("status");
            Assert.True(status.ExitCode == 0, status.Text);
            Assert.Equal(6, status.Output.Split('\n').Count(line => line.Contains(" passing ", StringComparison.Ordinal)));

            var pids = _demo.StartedPids().Values;
            var down = await _demo.RunAsync("down");

            Assert.True(down.ExitCode == 0, down.Text);
            Assert.All(pids, pid => Assert.False(DemoScript.IsAlive(pid), $"pid {pid} still runs after down:\n{down.Text}"));
            Assert.False(File.Exists(Path.Combine(_run.Path, "stack.json")));
            Assert.True(LoopbackPorts.IsFree(consul.Port), "Consul's port is still in use after down");
            Assert.Contains("not running", (await _demo.RunAsync("down")).Output);
            Assert.Equal(3, (await _demo.RunAsync("status")).ExitCode);
        }
        finally
        {
            await _demo.RunAsync("down");
        }
    }

    [Fact]
    public async Task Up_in_the_foreground_stops_everything_and_exits_0_on_SIGTERM()
    {
        using var demo = Process.Start(_demo.StartInfo("up"))!;
        var output = new StringBuilder();
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        demo.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("MicroDemo is up", StringComparison.Ordinal) == true)
            {
                up.TrySetResult();
            }
        };
        demo.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        try
        {
            await up.Task.WaitAsync(CommandTimeout);
            var pids = _demo.StartedPids().Values;

            // ./demo execs the launcher, so this is the launcher's pid (as Ctrl+C would reach it).
            ProcessSignals.Terminate(demo);
            await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

            Assert.True(demo.ExitCode == 0, output.ToString());
            Assert.All(pids, pid => Assert.False(DemoScript.IsAlive(pid), $"pid {pid} still runs:\n{output}"));
            Assert.False(File.Exists(Path.Combine(_run.Path, "stack.json")), output.ToString());
        }
        finally
        {
            if (!demo.HasExited)
            {
                ProcessSignals.Terminate(demo);
                await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            }

            await _demo.RunAsync("down");
        }
    }

    [Fact]
    public async Task Up_refuses_a_busy_port_naming_it_and_its_process_before_starting_anything()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        _environment["MICRODEMO_USERS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var up = await _demo.RunAsync("up", "-d");

        Assert.Equal(1, up.ExitCode);
        Assert.Contains($"Port {port} (users) is already in use by pid {Environment.ProcessId}", up.Errors);
        Assert.Contains("MICRODEMO_USERS_PORT", up.Errors);
        Assert.False(File.Exists(Path.Combine(_run.Path, "stack.json")), up.Text);
        Assert.True(LoopbackPorts.IsFree(int.Parse(_environment["MICRODEMO_CONSUL_PORT"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose() => _run.Dispose();
}
