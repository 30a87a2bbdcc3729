using System.Diagnostics;
using MicroDemo.Testing;

namespace MicroDemo.Gateway.Tests.Pipeline;

/// <summary>The built gateway run as its own process (<c>dotnet MicroDemo.Gateway.dll</c>), killed on dispose.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessOutput _output = new();

    private GatewayProcess(Process process)
    {
        _process = process;
        _output.Capture(process);
    }

    /// <summary>Everything the process wrote to stdout and stderr.</summary>
    public string Output => _output.ToString();

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static GatewayProcess Start(params string[] arguments)
    {
        // The gateway built in the same configuration as this test assembly (bin/<Configuration>/net10.0).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(RepoPaths.Root, "gateway", "bin", configuration, "net10.0", "MicroDemo.Gateway.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the gateway");
        return new GatewayProcess(process);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
