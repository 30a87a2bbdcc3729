namespace MicroDemo.Launcher.Commands;

internal static class LogFiles
{
    /// <summary>The path as the user would type it: relative to the current folder when under it.</summary>
    public static string Display(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    /// <summary>The last lines of a log, quoted in error messages so the cause is visible without opening it.</summary>
    public static string Tail(string path, int lines = 15)
    {
        try
        {
            var tail = File.ReadLines(path).TakeLast(lines).Select(line => "    | " + line);
            return string.Join(Environment.NewLine, tail);
        }
        catch (IOException)
        {
            return "    (no log yet)";
        }
    }
}
