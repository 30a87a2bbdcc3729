using MicroDemo.Launcher.Stack;
using MicroDemo.Launcher.State;

namespace MicroDemo.Launcher.Commands;

/// <summary>`./demo down`: stops what the state file lists. Running it again, or with nothing up, is fine.</summary>
internal static class DownCommand
{
    public static async Task<int> RunAsync(StackSettings stack, TextWriter output)
    {
        if (StackState.Load(stack.StateFile) is not { } state)
        {
            output.WriteLine($"MicroDemo is not running (no state in {LogFiles.Display(stack.RunDirectory)}); nothing to stop.");
            return 0;
        }

        output.WriteLine("Stopping MicroDemo:");
        if (!await StackStopper.StopAsync(state, output))
        {
            output.WriteLine($"Some processes could not be stopped; {LogFiles.Display(stack.StateFile)} is kept so `./demo down` can retry.");
            return 1;
        }

        File.Delete(stack.StateFile);
        output.WriteLine("MicroDemo stopped.");
        return 0;
    }
}
