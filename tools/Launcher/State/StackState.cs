using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicroDemo.Launcher.State;

/// <summary>What a process is to the stack, which decides how `status` asks whether it is ready and when `down` stops it.</summary>
internal enum ProcessRole
{
    /// <summary>An app that registers in Consul: ready when it passes its check there.</summary>
    App,

    /// <summary>Consul itself: ready when it has a leader; stopped last.</summary>
    Consul,

    /// <summary>The nginx edge: ready when it accepts connections; stopped first, so no request reaches a stopping replica.</summary>
    Edge,

    /// <summary>Redis, the replicas' shared state: ready when it answers PING; stopped after the apps, before Consul.</summary>
    Redis,
}

/// <summary>One started process, as `down` and `status` need it after the launcher that started it has gone.</summary>
/// <param name="ServiceName">The Consul service it registers as; null for Consul and the edge.</param>
/// <param name="StartTime">Its start time from /proc, so a recycled pid is never mistaken for it.</param>
internal sealed record StartedProcess(
    string Name,
    string? ServiceName,
    int Pid,
    ulong StartTime,
    int Port,
    IReadOnlyList<string> Urls,
    string Log,
    ProcessRole Role = ProcessRole.App);

/// <summary>What runs, in start order (Consul first). Written to the run directory after every start.</summary>
/// <param name="GatewayConfiguration">
/// The ocelot.json the gateway reads: the repository's, or a copy in the run folder when Consul was moved
/// to another port. `status` shows it, because that is the file to edit to see the gateway reload.
/// </param>
internal sealed record StackState(
    DateTimeOffset StartedAt,
    Uri ConsulUrl,
    IReadOnlyList<StartedProcess> Processes,
    string? GatewayConfiguration = null)
{
    public static StackState? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), StackStateJson.Default.StackState);
        }
        catch (JsonException e)
        {
            throw new LauncherException($"The state file {path} is unreadable ({e.Message}). Stop leftover processes by hand and delete it.");
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write then rename, so a reader never sees half a file.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, StackStateJson.Default.StackState));
        File.Move(temporary, path, overwrite: true);
    }

    public StackState With(StartedProcess process) => this with { Processes = [.. Processes, process] };
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StackState))]
internal sealed partial class StackStateJson : JsonSerializerContext;
