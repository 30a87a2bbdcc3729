using System.Globalization;
using System.Net;

namespace MicroDemo.Testing;

/// <summary>The local addresses TCP sockets listen on, as the kernel reports them (/proc/net/tcp and tcp6, Linux only).</summary>
public static class ListeningSockets
{
    private const string ListenState = "0A";

    /// <summary>Every address a socket listens on at <paramref name="port"/> (0.0.0.0 or :: for a wildcard bind).</summary>
    public static IReadOnlyList<IPAddress> AddressesOn(int port)
    {
        var addresses = new List<IPAddress>();
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            // Columns: sl local_address rem_address st ...; local_address is HEXADDRESS:HEXPORT.
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = columns[1].Split(':');
                if (columns[3] == ListenState && int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    addresses.Add(ParseAddress(local[0]));
                }
            }
        }

        return addresses;
    }

    // The kernel prints the address as 32-bit words in host (little-endian) byte order.
    private static IPAddress ParseAddress(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        return new IPAddress(bytes);
    }
}
