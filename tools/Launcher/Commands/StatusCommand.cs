using MicroDemo.Launcher.Consul;
using MicroDemo.Launcher.Edge;
using MicroDemo.Launcher.Output;
using MicroDemo.Launcher.Processes;
using MicroDemo.Launcher.Redis;
using MicroDemo.Launcher.Stack;
using MicroDemo.Launcher.State;

namespace MicroDemo.Launcher.Commands;

/// <summary>`./demo status`: is each recorded process alive, and is it passing in Consul?</summary>
internal static class StatusCommand
{
    /// <summary>Exit code when no stack runs (as LSB init scripts say "not running").</summary>
    public const int NotRunning = 3;

    public const string Passing = "passing";

    /// <summary>Starts the line naming the ocelot.json the gateway reads (scripts pick the path out after it).</summary>
    public const string GatewayConfigurationLabel = "Gateway configuration: ";

    public static async Task<int> RunAsync(StackSettings stack, TextWriter output)
    {
        if (StackState.Load(stack.StateFile) is not { } state)
        {
            output.WriteLine($"MicroDemo is not running (no state in {LogFiles.Display(stack.RunDirectory)}).");
            return NotRunning;
        }

        var states = await ReadStatesAsync(state);
        WriteTable(output, state, states);
        if (state.GatewayConfiguration is { } configuration)
        {
            output.WriteLine($"{GatewayConfigurationLabel}{LogFiles.Display(configuration)}");
        }

        return states.All(s => s == Passing) ? 0 : 1;
    }

    /// <summary>One state per process of <paramref name="state"/>: passing, running (not passing yet), or stopped.</summary>
    public static async Task<IReadOnlyList<string>> ReadStatesAsync(StackState state)
    {
        using var consul = new StackConsul(state.ConsulUrl);
        var states = new List<string>();
        foreach (var process in state.Processes)
        {
            states.Add(!ProcessTable.IsRunning(process.Pid, process.StartTime) ? "stopped"
                : await IsPassingAsync(consul, process) ? Passing
                : "running, not passing");
        }

        return states;
    }

    public static void WriteTable(TextWriter output, StackState state, IReadOnlyList<string> states) =>
        Table.Write(
            output,
            ["PROCESS", "PID", "URL", "STATE", "LOG"],
            state.Processes.Select((p, i) => (IReadOnlyList<string>)
                [p.Name, p.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(" ", p.Urls), states[i], LogFiles.Display(p.Log)]));

    private static async Task<bool> IsPassingAsync(StackConsul consul, StartedProcess process)
    {
        try
        {
            // Consul's readiness is having a leader; the edge's is accepting connections; an app's is passing its check in Consul.
            return process.Role switch
            {
                ProcessRole.Consul => await consul.HasLeaderAsync(CancellationToken.None),
                ProcessRole.Edge => await EdgeDefinition.IsListeningAsync(process.Port, CancellationToken.None),
                ProcessRole.Redis => await StackRedis.AnswersAsync(process.Port, CancellationToken.None),
                _ => await consul.IsPassingAsync(process.ServiceName!, process.Port, CancellationToken.None),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
