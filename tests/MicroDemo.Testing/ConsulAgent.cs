using System.Diagnostics;
using MicroDemo.ServiceDefaults.Consul;
using Xunit;

namespace MicroDemo.Testing;

/// <summary>
/// A real Consul dev agent on 127.0.0.1 with every port free-chosen, so tests can run side by side.
/// Use as an xunit fixture (IAsyncLifetime) or create and dispose it inside a test.
/// </summary>
public sealed class ConsulAgent : IAsyncLifetime, IAsyncDisposable
{
    private readonly ProcessOutput _log = new();
    private Process? _process;
    private HttpClient? _http;

    public int HttpPort { get; } = FreePorts.Next();

    public Uri Url => new($"http://127.0.0.1:{HttpPort}/");

    public ConsulClient Client => new(_http ?? throw new InvalidOperationException("Consul agent not started."));

    /// <summary>Everything the agent printed, for failure messages.</summary>
    public string Log => _log.ToString();

    public async Task InitializeAsync()
    {
        _http = new HttpClient { BaseAddress = Url, Timeout = ConsulClient.MaxBlockingWait + TimeSpan.FromSeconds(10) };
        await StartAsync();
    }

    /// <summary>Starts the agent (again, after <see cref="StopAsync"/>: a dev agent forgets everything).</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(RepoPaths.Consul)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "agent", "-dev", "-bind", "127.0.0.1", "-client", "127.0.0.1", "-node", $"test-{HttpPort}",
                     "-http-port", HttpPort.ToString(), "-serf-lan-port", FreePorts.Next().ToString(),
                     "-serf-wan-port", FreePorts.Next().ToString(), "-server-port", FreePorts.Next().ToString(),
                     "-dns-port", "-1", "-grpc-port", "-1",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start consul");
        _log.Capture(_process);

        var client = Client;
        await Eventually.TrueAsync(
            async () => _process.HasExited
                ? throw new InvalidOperationException($"consul exited with {_process.ExitCode}:\n{Log}")
                : await client.IsReadyAsync(CancellationToken.None),
            $"the Consul agent on port {HttpPort} has a leader");
    }

    /// <summary>Stops the agent gracefully (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        ProcessSignals.Terminate(process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _http?.Dispose();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}
