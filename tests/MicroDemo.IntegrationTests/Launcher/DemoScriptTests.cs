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
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _run = new();
    private readonly Dictionary<string, string> _environment;

    public DemoScriptTests()
    {
        _environment = IsolatedStack.Environment(_run.Path);
    }

    [Fact]
    public async Task Up_detached_then_status_then_down_runs_and_removes_the_whole_stack()
    {
        var consul = new Uri($"http://127.0.0.1:{_environment["MICRODEMO_CONSUL_PORT"]}/");
        try
        {
            var up = await DemoAsync("up", "-d");

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

            var status = await DemoAsync("status");
            Assert.True(status.ExitCode == 0, status.Text);
            Assert.Equal(6, status.Output.Split('\n').Count(line => line.Contains(" passing ", StringComparison.Ordinal)));

            var pids = StartedPids();
            var down = await DemoAsync("down");

            Assert.True(down.ExitCode == 0, down.Text);
            Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} still runs after down:\n{down.Text}"));
            Assert.False(File.Exists(Path.Combine(_run.Path, "stack.json")));
            Assert.True(LoopbackPorts.IsFree(consul.Port), "Consul's port is still in use after down");
            Assert.Contains("not running", (await DemoAsync("down")).Output);
            Assert.Equal(3, (await DemoAsync("status")).ExitCode);
        }
        finally
        {
            await DemoAsync("down");
        }
    }

    [Fact]
    public async Task Up_in_the_foreground_stops_everything_and_exits_0_on_SIGTERM()
    {
        using var demo = Process.Start(DemoStartInfo("up"))!;
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
            var pids = StartedPids();

            // ./demo execs the launcher, so this is the launcher's pid (as Ctrl+C would reach it).
            ProcessSignals.Terminate(demo);
            await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

            Assert.True(demo.ExitCode == 0, output.ToString());
            Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} still runs:\n{output}"));
            Assert.False(File.Exists(Path.Combine(_run.Path, "stack.json")), output.ToString());
        }
        finally
        {
            if (!demo.HasExited)
            {
                ProcessSignals.Terminate(demo);
                await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            }

            await DemoAsync("down");
        }
    }

    [Fact]
    public async Task Up_refuses_a_busy_port_naming_it_and_its_process_before_starting_anything()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        _environment["MICRODEMO_USERS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var up = await DemoAsync("up", "-d");

        Assert.Equal(1, up.ExitCode);
        Assert.Contains($"Port {port} (users) is already in use by pid {Environment.ProcessId}", up.Errors);
        Assert.Contains("MICRODEMO_USERS_PORT", up.Errors);
        Assert.False(File.Exists(Path.Combine(_run.Path, "stack.json")), up.Text);
        Assert.True(LoopbackPorts.IsFree(int.Parse(_environment["MICRODEMO_CONSUL_PORT"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose() => _run.Dispose();


    private int[] StartedPids()
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(_run.Path, "stack.json")));
        return state.RootElement.GetProperty("processes").EnumerateArray().Select(p => p.GetProperty("pid").GetInt32()).ToArray();
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            // A zombie (exited, not yet reaped by its parent) has left nothing running.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private ProcessStartInfo DemoStartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "demo"))
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private async Task<DemoResult> DemoAsync(params string[] arguments)
    {
        var start = DemoStartInfo(arguments);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./demo {string.Join(' ', arguments)} did not finish within {CommandTimeout}.");
        }

        // End of output proves no child kept ./demo's output pipe open (detached children must not).
        var pipesClosed = TimeSpan.FromSeconds(30);
        return new DemoResult(process.ExitCode, await output.WaitAsync(pipesClosed), await errors.WaitAsync(pipesClosed));
    }

    private sealed record DemoResult(int ExitCode, string Output, string Errors)
    {
        public string Text => new StringBuilder().AppendLine($"exit {ExitCode}").AppendLine(Output).AppendLine(Errors).ToString();
    }
}
