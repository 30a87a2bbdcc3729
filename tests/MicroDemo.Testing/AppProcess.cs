using System.Collections.Concurrent;
using System.Diagnostics;
using MicroDemo.ServiceDefaults;
using MicroDemo.ServiceDefaults.Consul;

namespace MicroDemo.Testing;

/// <summary>
/// A built app (<c>dotnet App.dll</c>) running as a real process on a loopback port, configured through
/// environment variables named by <see cref="SettingNames"/>. Its output is kept for failure messages.
/// Dispose stops it gracefully (SIGTERM, so it deregisters from Consul); anything still running when the
/// test run ends is killed.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(15);
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly ProcessOutput _output = new();

    static AppProcess()
    {
        // A test that crashes or times out must not leave servers behind on the machine.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        };
    }

    private AppProcess(MicroDemoApp app, int port, Process process)
    {
        App = app;
        Port = port;
        _process = process;
    }

    public MicroDemoApp App { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the app printed so far.</summary>
    public string Output => _output.ToString();

    /// <summary>
    /// Starts <paramref name="app"/> listening on <paramref name="port"/> (a free one when omitted), with
    /// <paramref name="settings"/> keyed by <see cref="SettingNames"/> (e.g. <c>[SettingNames.ConsulUrl] = ...</c>).
    /// </summary>
    public static AppProcess Start(MicroDemoApp app, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        var dll = app.DllPath;
        var listenPort = port ?? FreePorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(dll);
        start.Environment[SettingNames.ToEnvironmentVariable(SettingNames.Urls)] = $"http://127.0.0.1:{listenPort}";
        foreach (var (key, value) in settings)
        {
            start.Environment[SettingNames.ToEnvironmentVariable(key)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}");
        var started = new AppProcess(app, listenPort, process);
        Running[process.Id] = process;
        started._output.Capture(process);
        return started;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails at once, with the app's output, if the app exits.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.TrueAsync(
                async () => HasExited
                    ? throw new InvalidOperationException($"{App.AssemblyName} exited with {_process.ExitCode} before {what}. Its output:\n{Output}")
                    : await condition(),
                $"{what} ({App.AssemblyName} on port {Port})",
                timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nIts output:\n{Output}", e);
        }
    }

    /// <summary>Waits until Consul lists this instance as passing under <paramref name="serviceName"/>.</summary>
    public Task WaitUntilPassingAsync(ConsulClient consul, string serviceName, TimeSpan? timeout = null) =>
        WaitUntilAsync(
            async () => (await consul.GetHealthyInstancesAsync(serviceName, 0, TimeSpan.Zero, CancellationToken.None)).Value.Any(i => i.Port == Port),
            $"Consul lists {serviceName} on port {Port} as passing",
            timeout);

    /// <summary>Stops the app with SIGTERM and waits for it; kills it if it takes longer than <paramref name="grace"/>.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> StopAsync(TimeSpan? grace = null)
    {
        if (!_process.HasExited)
        {
            ProcessSignals.Terminate(_process);
            using var timeout = new CancellationTokenSource(grace ?? DefaultGrace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        Running.TryRemove(_process.Id, out _);
        return _process.ExitCode;
    }

    /// <summary>Kills the app at once (SIGKILL, as <c>kill -9</c>): no shutdown, no deregistration, open connections just die.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        Running.TryRemove(_process.Id, out _);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
