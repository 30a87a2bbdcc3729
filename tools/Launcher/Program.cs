using System.Reflection;
using System.Runtime.InteropServices;
using MicroDemo.Launcher;
using MicroDemo.Launcher.Certificates;
using MicroDemo.Launcher.Commands;
using MicroDemo.Launcher.Stack;

// The C# half of ./demo (the bash half installs Consul and builds). Usage:
//   up [-d] --consul <path>   start the stack (-d: detached) and wait until every app passes in Consul
//   up --check                only check that it could start (not running already, ports free)
//   down                      stop what the state file lists
//   status                    what runs, and whether it passes in Consul
const string Usage = "usage: MicroDemo.Launcher up [-d] --consul <path> | up --check | down | status";

try
{
    var stack = StackSettings.From(Environment.GetEnvironmentVariable, FindRepoRoot(), OwnConfiguration());
    return args switch
    {
        ["up", .. var options] => await UpAsync(stack, options),
        ["down"] => await DownCommand.RunAsync(stack, Console.Out),
        ["status"] => await StatusCommand.RunAsync(stack, Console.Out),
        _ => Fail(Usage, exitCode: 2),
    };
}
catch (LauncherException e)
{
    return Fail(e.Message);
}

static async Task<int> UpAsync(StackSettings stack, string[] options)
{
    var up = new UpCommand(stack, Console.Out, Console.Error);
    if (options is ["--check"])
    {
        up.Check(GatewayCertificate.Plan(stack.CertificatesDirectory));
        return 0;
    }

    var detached = options.Contains("-d") || options.Contains("--detach");
    var consulAt = Array.IndexOf(options, "--consul");
    if (consulAt < 0 || consulAt + 1 >= options.Length || options.Except(["-d", "--detach", "--consul", options[consulAt + 1]]).Any())
    {
        return Fail(Usage, exitCode: 2);
    }

    // Ctrl+C, `kill` and a closed terminal all mean "stop the stack cleanly", never "die and leave it running".
    using var stop = new CancellationTokenSource();
    void Cancel(PosixSignalContext context)
    {
        context.Cancel = true;
        // Not inline: Cancel() would run the whole shutdown on the runtime's signal thread, which must
        // stay free to deliver SIGCHLD for the children being stopped.
        _ = Task.Run(stop.Cancel);
    }

    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
    using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Cancel);
    return await up.RunAsync(options[consulAt + 1], detached, stop.Token);
}

static int Fail(string message, int exitCode = 1)
{
    Console.Error.WriteLine(message);
    return exitCode;
}

static string FindRepoRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "MicroDemo.sln")))
        {
            return directory.FullName;
        }
    }

    throw new LauncherException($"MicroDemo.sln not found above {AppContext.BaseDirectory}; run the launcher from its build folder in the repository.");
}

// The apps started are those of the launcher's own build configuration: ./demo builds both at once.
static string OwnConfiguration() =>
    typeof(LauncherException).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
        ? configuration
        : "Release";
