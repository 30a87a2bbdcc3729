using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MicroDemo.Launcher.Processes;

/// <summary>Who listens on a loopback port (for the "already in use" message), and ports nobody needs to know in advance.</summary>
internal static class PortOwners
{
    /// <summary>A TCP port the OS considers free right now (for Consul's internal ports, which nobody needs to know in advance).</summary>
    public static int AnyFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// "pid 42 (dotnet users.dll)" for the process listening on <paramref name="port"/>, or null when it
    /// cannot be seen (another user's process when not root, or a non-Linux system). The same walk as
    /// `ss -ltnp`: the socket's inode from /proc/net/tcp{,6}, then the process holding that inode.
    /// </summary>
    public static string? Describe(int port)
    {
        var inodes = ListeningInodes(port);
        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var processDirectory in SafeEnumerate("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(processDirectory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            foreach (var descriptor in SafeEnumerate(Path.Combine(processDirectory, "fd")))
            {
                string? target;
                try
                {
                    target = new FileInfo(descriptor).LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && inodes.Contains(target["socket:[".Length..^1]))
                {
                    return $"pid {pid} ({ProcessTable.CommandLine(pid) ?? "?"})";
                }
            }
        }

        return null;
    }

    private static HashSet<string> ListeningInodes(int port)
    {
        const string Listen = "0A";
        var inodes = new HashSet<string>();
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(table);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            foreach (var line in lines.Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length > 9 && columns[3] == Listen
                    && int.TryParse(columns[1][(columns[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var local)
                    && local == port)
                {
                    inodes.Add(columns[9]);
                }
            }
        }

        return inodes;
    }

    private static IEnumerable<string> SafeEnumerate(string directory)
    {
        try
        {
            return Directory.GetFileSystemEntries(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
