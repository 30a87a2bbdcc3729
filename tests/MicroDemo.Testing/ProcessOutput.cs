using System.Diagnostics;
using System.Text;

namespace MicroDemo.Testing;

/// <summary>
/// Everything started processes write to stdout and stderr, line by line, for assertions and failure messages.
/// A process started again (a restarted Consul agent) adds to the same text.
/// </summary>
public sealed class ProcessOutput
{
    private readonly StringBuilder _lines = new();

    /// <summary>Starts reading both redirected streams of <paramref name="process"/>.</summary>
    public void Capture(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return _lines.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.AppendLine(line);
        }
    }
}
