using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MicroDemo.Testing;

/// <summary>
/// Keeps every log line of a host (formatted, with its structured values) so tests can search them:
/// that an error names the file and key, that a secret never appears, that a log line is written once.
/// Add it with <c>logging.AddProvider(capture)</c>; <c>logging.AddFilter&lt;LogCapture&gt;(null, level)</c> sets
/// its level regardless of the app's appsettings.json.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>True when some formatted message contains <paramref name="text"/>.</summary>
    public bool Contains(string text) => _entries.Any(entry => entry.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(pair => $"{pair.Key}={pair.Value}"))
                : "";
            entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, exception?.ToString()));
        }
    }
}

/// <summary>One captured log line.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, string Values, string? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message} [{Values}] {Exception}";
}
