namespace MicroDemo.Launcher;

/// <summary>A problem the user can fix (a busy port, a bad variable, a service that never became healthy).
/// Its message is printed as is, without a stack trace.</summary>
internal sealed class LauncherException(string message) : Exception(message);
