using MicroDemo.Launcher.Consul;
using MicroDemo.Launcher.Processes;
using MicroDemo.Launcher.State;

namespace MicroDemo.Launcher.Commands;

/// <summary>Stops a stack in reverse start order: the edge, the apps, so they deregister from a Consul that still runs, Redis, Consul last.</summary>
internal static class StackStopper
{
    private static readonly TimeSpan AppGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConsulGrace = TimeSpan.FromSeconds(15);

    /// <returns>True when every process is gone and nothing of ours stays registered.</returns>
    public static async Task<bool> StopAsync(StackState state, TextWriter output)
    {
        var clean = true;
        foreach (var edge in state.Processes.Where(p => p.Role == ProcessRole.Edge))
        {
            clean &= await StopOneAsync(edge, AppGrace, output);
        }

        var apps = state.Processes.Where(p => p.Role == ProcessRole.App).Reverse().ToArray();
        foreach (var app in apps)
        {
            clean &= await StopOneAsync(app, AppGrace, output);
        }

        foreach (var redis in state.Processes.Where(p => p.Role == ProcessRole.Redis))
        {
            clean &= await StopOneAsync(redis, AppGrace, output);
        }

        using var consul = new StackConsul(state.ConsulUrl);
        var consulProcess = state.Processes.FirstOrDefault(p => p.Role == ProcessRole.Consul);
        if (consulProcess is not null && ProcessTable.IsRunning(consulProcess.Pid, consulProcess.StartTime))
        {
            clean &= await RemoveLeftoverRegistrationsAsync(consul, apps, output);
            clean &= await StopOneAsync(consulProcess, ConsulGrace, output);
        }

        return clean;
    }

    private static async Task<bool> StopOneAsync(StartedProcess process, TimeSpan grace, TextWriter output)
    {
        if (!ProcessTable.IsRunning(process.Pid, process.StartTime))
        {
            output.WriteLine($"  {process.Name} (pid {process.Pid}) had already exited");
            return true;
        }

        if (await ProcessTable.StopAsync(process.Pid, process.StartTime, grace))
        {
            output.WriteLine($"  stopped {process.Name} (pid {process.Pid})");
            return true;
        }

        var gone = !ProcessTable.IsRunning(process.Pid, process.StartTime);
        output.WriteLine(gone
            ? $"  killed {process.Name} (pid {process.Pid}): it did not stop within {grace.TotalSeconds:0}s of SIGTERM; see {process.Log}"
            : $"  could not stop {process.Name} (pid {process.Pid}), even with SIGKILL");
        return gone;
    }

    /// <summary>An app that was killed could not deregister; remove what it left so no client dials a dead instance.</summary>
    private static async Task<bool> RemoveLeftoverRegistrationsAsync(StackConsul consul, IReadOnlyList<StartedProcess> apps, TextWriter output)
    {
        try
        {
            var ours = apps.Select(app => (app.ServiceName, app.Port)).ToHashSet();
            foreach (var (id, name, port) in await consul.RegisteredServicesAsync(CancellationToken.None))
            {
                if (ours.Contains((name, port)))
                {
                    await consul.DeregisterAsync(id, CancellationToken.None);
                    output.WriteLine($"  removed the registration {id} its process left behind in Consul");
                }
            }

            return true;
        }
        catch (HttpRequestException e)
        {
            output.WriteLine($"  could not check Consul for leftover registrations: {e.Message}");
            return false;
        }
    }
}
