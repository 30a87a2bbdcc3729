using System.Diagnostics;
using MicroDemo.Launcher.Certificates;
using MicroDemo.Launcher.Consul;
using MicroDemo.Launcher.Redis;
using MicroDemo.Launcher.Edge;
using MicroDemo.Launcher.Processes;
using MicroDemo.Launcher.Stack;
using MicroDemo.Launcher.State;
using MicroDemo.ServiceDefaults.Hosting;

namespace MicroDemo.Launcher.Commands;

/// <summary>`./demo up [-d]`: Consul, then every app, then wait until all of them pass in Consul.</summary>
internal sealed class UpCommand(StackSettings stack, TextWriter output, TextWriter errors)
{
    /// <summary>Exit code when Ctrl+C interrupts the start (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    private static readonly TimeSpan ConsulReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan EdgeReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    // Kept so the runtime reaps children of a foreground run when they exit.
    private readonly List<Process> _children = [];
    private StackState _state = new(DateTimeOffset.UtcNow, stack.ConsulUrl, []);

    /// <summary>
    /// Checks that the stack can start (not already running, every port free) without starting anything.
    /// ./demo runs this before building, so a busy port is reported in a second rather than after a build.
    /// </summary>
    public IReadOnlyList<AppDefinition> Check(GatewayCertificate certificate)
    {
        if (StackState.Load(stack.StateFile) is { } previous)
        {
            if (previous.Processes.Any(p => ProcessTable.IsRunning(p.Pid, p.StartTime)))
            {
                throw new LauncherException(
                    $"MicroDemo is already running from {LogFiles.Display(stack.RunDirectory)} (started {previous.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}). " +
                    "See `./demo status`; stop it with `./demo down`.");
            }

            // Nothing it lists runs any more (a reboot, a kill -9): the state is stale.
            File.Delete(stack.StateFile);
        }

        var apps = StackDefinition.Apps(stack, certificate);
        var edge = EdgeDefinition.For(stack, apps, certificate);
        var ports = apps.SelectMany(app => app.Ports).Prepend(stack.Ports.Consul).Concat(edge is null ? [] : [edge.Port, edge.HttpsPort])
            .Concat(stack.Ports.Redis is { } redis ? [redis] : []);
        var busy = ports.Where(port => !LoopbackPorts.IsFree(port.Port)).ToArray();
        if (busy.Length > 0)
        {
            throw new LauncherException(string.Join(Environment.NewLine, busy.Select(port =>
                $"Port {port.Port} ({port.Owner}) is already in use" +
                (PortOwners.Describe(port.Port) is { } owner ? $" by {owner}" : "") +
                $". Stop that process or choose another port with {port.EnvironmentVariable}=<port>.")));
        }

        return apps;
    }

    public async Task<int> RunAsync(string consulPath, bool detached, CancellationToken stop)
    {
        var certificate = GatewayCertificate.Plan(stack.CertificatesDirectory);
        var apps = Check(certificate);
        var missing = apps.Select(app => app.DllPath(stack)).Distinct().Where(dll => !File.Exists(dll)).ToArray();
        if (missing.Length > 0)
        {
            throw new LauncherException(
                $"Not built ({stack.Configuration}): {string.Join(", ", missing.Select(LogFiles.Display))}. `./demo up` builds them; or run `dotnet build MicroDemo.sln -c {stack.Configuration}`.");
        }

        var edge = EdgeDefinition.For(stack, apps, certificate);
        var nginx = edge is null ? null : await ToolInstall.LocateAsync(stack, EdgeDefinition.InstallScript, EdgeDefinition.Needs, errors, stop);
        var redis = stack.Ports.Redis is null ? null : await ToolInstall.LocateAsync(stack, StackRedis.InstallScript, StackRedis.Needs, errors, stop);
        Directory.CreateDirectory(stack.LogsDirectory);
        Directory.CreateDirectory(stack.DataDirectory);
        if (apps.Any(app => app.ServiceName == "gateway"))
        {
            var gatewayConfiguration = GatewayOcelotFile.Prepare(stack);
            _state = _state with { GatewayConfiguration = gatewayConfiguration };
            if (gatewayConfiguration != GatewayOcelotFile.Source(stack))
            {
                output.WriteLine($"Consul runs on port {stack.Ports.Consul.Port}: the gateway reads a copy of ocelot.json with that port ({LogFiles.Display(gatewayConfiguration)}).");
            }
        }
        if (apps.Any(app => app.HttpsPort is not null) || edge is not null)
        {
            certificate.Save();
        }

        using var consul = new StackConsul(stack.ConsulUrl);
        try
        {
            output.WriteLine($"Starting consul on {stack.ConsulUrl.ToString().TrimEnd('/')}");
            var consulProcess = Start("consul", null, consulPath, StackConsul.AgentArguments(stack.Ports.Consul.Port),
                new Dictionary<string, string>(), stack.RunDirectory, stack.Ports.Consul.Port, [stack.ConsulUrl.ToString().TrimEnd('/') + "/ui"], ProcessRole.Consul);
            await WaitUntilReadyAsync([(consulProcess, ct => consul.HasLeaderAsync(ct))], ConsulReadyTimeout, "to elect a leader", stop);
            if (stack.Ports.Redis is { } redisPort)
            {
                output.WriteLine($"Starting {StackRedis.Name} on {StackRedis.Configuration(redisPort.Port)}, shared by the gateway replicas");
                var redisProcess = Start(StackRedis.Name, null, redis!, StackRedis.Arguments(redisPort.Port), new Dictionary<string, string>(), stack.RunDirectory,
                    redisPort.Port, [$"redis://{StackRedis.Configuration(redisPort.Port)}"], ProcessRole.Redis);
                await WaitUntilReadyAsync([(redisProcess, ct => StackRedis.AnswersAsync(redisPort.Port, ct))], EdgeReadyTimeout, "to answer PING", stop);
            }

            var starting = new List<(StartedProcess, Func<CancellationToken, Task<bool>>)>();
            foreach (var app in apps)
            {
                output.WriteLine($"Starting {app.Name} on {app.Url}");
                var dll = app.DllPath(stack);
                var process = Start(app.Name, app.ServiceName, Environment.ProcessPath ?? "dotnet", [dll],
                    app.Environment(stack), Path.GetDirectoryName(dll)!, app.Port.Port, [.. app.Urls]);
                starting.Add((process, ct => consul.IsPassingAsync(app.ServiceName, app.Port.Port, ct)));
            }

            await WaitUntilReadyAsync(starting, stack.ReadyTimeout, "to pass its health check in Consul", stop);
            if (edge is not null)
            {
                await StartEdgeAsync(edge, nginx!, stop);
            }
        }
        catch (Exception e) when (e is LauncherException or OperationCanceledException)
        {
            // The cause first, then the clean-up, so the reason is not buried under it.
            errors.WriteLine(e is LauncherException ? e.Message : "Interrupted.");
            output.WriteLine("Stopping what was started:");
            await StackStopper.StopAsync(_state, output);
            File.Delete(stack.StateFile);
            return e is OperationCanceledException ? Interrupted : 1;
        }

        output.WriteLine();
        StatusCommand.WriteTable(output, _state, _state.Processes.Select(_ => StatusCommand.Passing).ToArray());
        output.WriteLine();
        // Behind the edge each replica answers with its own view (the one nginx picked).
        output.WriteLine($"Dashboard: http://127.0.0.1:{stack.Ports.Gateway.Port}/dashboard (open it in a browser on this machine)");
        if (detached)
        {
            output.WriteLine("MicroDemo is up. `./demo status` shows it, `./demo down` stops it.");
            return 0;
        }

        output.WriteLine("MicroDemo is up. Press Ctrl+C to stop it.");
        await WatchUntilStoppedAsync(stop);
        output.WriteLine("Stopping MicroDemo:");
        var clean = await StackStopper.StopAsync(_state, output);
        if (clean)
        {
            File.Delete(stack.StateFile);
        }

        output.WriteLine(clean ? "MicroDemo stopped." : "Some processes could not be stopped; run `./demo down` to retry.");
        return clean ? 0 : 1;
    }

    /// <summary>Last, once every replica passes: the edge never sends a client to a gateway that is still starting.</summary>
    private async Task StartEdgeAsync(EdgeDefinition edge, string nginx, CancellationToken stop)
    {
        edge.Prepare();
        output.WriteLine($"Starting {EdgeDefinition.Name} (nginx) on {string.Join(" ", edge.Urls)}, in front of {string.Join(", ", edge.Replicas.Select(r => r.Owner))}");
        var process = Start(EdgeDefinition.Name, null, nginx, edge.Arguments, new Dictionary<string, string>(), edge.Directory, edge.Port.Port, edge.Urls, ProcessRole.Edge);
        await WaitUntilReadyAsync([(process, ct => EdgeDefinition.IsListeningAsync(edge.Port.Port, ct))], EdgeReadyTimeout, "to accept connections", stop);
    }

    private StartedProcess Start(
        string name,
        string? serviceName,
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        int port,
        IReadOnlyList<string> urls,
        ProcessRole role = ProcessRole.App)
    {
        var log = Path.Combine(stack.LogsDirectory, name + ".log");
        File.WriteAllText(log, "");
        var process = ChildProcess.Start(fileName, arguments, environment, workingDirectory, log);
        _children.Add(process);
        // A process that dies at once has no start time; 0 then reads as "stopped" everywhere.
        var started = new StartedProcess(name, serviceName, process.Id, ProcessTable.StartTime(process.Id) ?? 0, port, urls, log, role);
        _state = _state.With(started);
        // Saved after every start, so even a launcher killed half-way leaves what `./demo down` needs.
        _state.Save(stack.StateFile);
        return started;
    }

    /// <summary>Polls until every process is ready; fails fast, quoting its log, when one exits, and names the laggards on timeout.</summary>
    private async Task WaitUntilReadyAsync(
        IReadOnlyList<(StartedProcess Process, Func<CancellationToken, Task<bool>> IsReady)> processes,
        TimeSpan timeout,
        string what,
        CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var pending = processes.ToList();
        while (pending.Count > 0)
        {
            stop.ThrowIfCancellationRequested();
            foreach (var entry in pending.ToArray())
            {
                var process = entry.Process;
                if (!ProcessTable.IsRunning(process.Pid, process.StartTime))
                {
                    throw new LauncherException(
                        $"{process.Name} exited before it was ready. The end of {LogFiles.Display(process.Log)}:{Environment.NewLine}{LogFiles.Tail(process.Log)}");
                }

                if (await IsReadyAsync(entry.IsReady, stop))
                {
                    output.WriteLine($"  {process.Name} ready after {clock.Elapsed.TotalSeconds:0.0}s");
                    pending.Remove(entry);
                }
            }

            if (pending.Count > 0 && clock.Elapsed > timeout)
            {
                var first = pending[0].Process;
                throw new LauncherException(
                    $"Timed out after {timeout.TotalSeconds:0}s waiting for {string.Join(", ", pending.Select(p => p.Process.Name))} {what}. " +
                    $"Its log explains why ({LogFiles.Display(first.Log)}; the end of it below). " +
                    $"On a slow machine, allow more time with {EnvironmentVariables.ReadyTimeout}=<seconds>.{Environment.NewLine}{LogFiles.Tail(first.Log)}");
            }

            if (pending.Count > 0)
            {
                await Task.Delay(PollInterval, stop);
            }
        }
    }

    private static async Task<bool> IsReadyAsync(Func<CancellationToken, Task<bool>> probe, CancellationToken stop)
    {
        try
        {
            return await probe(stop);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Foreground mode: wait for Ctrl+C, and say so when a process dies on its own meanwhile.</summary>
    private async Task WatchUntilStoppedAsync(CancellationToken stop)
    {
        var reported = new HashSet<string>();
        while (!stop.IsCancellationRequested)
        {
            foreach (var process in _state.Processes)
            {
                if (!ProcessTable.IsRunning(process.Pid, process.StartTime) && reported.Add(process.Name))
                {
                    output.WriteLine($"{process.Name} (pid {process.Pid}) exited; see {LogFiles.Display(process.Log)}");
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: time to stop.
            }
        }
    }
}
