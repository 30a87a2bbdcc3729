using System.Text.RegularExpressions;

namespace MicroDemo.IntegrationTests.Walkthrough;

/// <summary>One runnable step of docs/walkthrough.md: a ```bash block and the ```expect block after it.</summary>
/// <param name="Name">The heading above the block, numbered when a heading has several blocks.</param>
/// <param name="Line">The 1-based line of the ```bash fence, so a failure points into the document.</param>
/// <param name="Track">
/// Which stack the step runs against: <see cref="WalkthroughTracks.Native"/> for a plain <c>```bash</c> fence,
/// else the fence's second word (<c>```bash compose</c>).
/// </param>
public sealed record WalkthroughStep(string Name, int Line, string Script, IReadOnlyList<string> Expected, string Track);

/// <summary>The walkthrough's tracks: the same tour, against the stack ./demo starts or the one docker compose starts.</summary>
public static class WalkthroughTracks
{
    public const string Native = "native";
    public const string Compose = "compose";
}

/// <summary>
/// Reads the steps out of a walkthrough written in Markdown. The markup (also described at the end of
/// docs/walkthrough.md):
/// <list type="bullet">
/// <item>a fenced block whose info string is <c>bash</c> is a step, run in document order;</item>
/// <item><c>bash compose</c> marks a step of the compose track, which runs against <c>docker compose</c>'s stack
/// (GitHub still highlights it as bash);</item>
/// <item>an <c>expect</c> block right after it (blank lines may separate them) holds the lines its output must
/// contain (see <see cref="ExpectedOutput"/>); a step without one must only exit 0;</item>
/// <item>the step is named after the nearest heading above it.</item>
/// </list>
/// Any other fenced block (text, json, mermaid) is prose for the reader and ignored.
/// </summary>
public static partial class WalkthroughDocument
{
    public static IReadOnlyList<WalkthroughStep> Parse(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var steps = new List<WalkthroughStep>();
        var heading = "(before the first heading)";
        var blocksUnderHeading = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (Heading().Match(lines[i]) is { Success: true } title)
            {
                heading = title.Groups["title"].Value.Trim();
                blocksUnderHeading = 0;
                continue;
            }

            if (Fence().Match(lines[i]) is not { Success: true } fence)
            {
                continue;
            }

            var info = fence.Groups["info"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var fenceLine = i + 1;
            var body = ReadBlock(lines, ref i, fenceLine);
            if (info is not ["bash", ..])
            {
                continue;
            }

            var expected = ReadExpectBlock(lines, ref i);
            blocksUnderHeading++;
            var name = blocksUnderHeading == 1 ? heading : $"{heading} ({blocksUnderHeading})";
            steps.Add(new WalkthroughStep(name, fenceLine, body, expected, info.Length > 1 ? info[1] : WalkthroughTracks.Native));
        }

        return steps;
    }

    /// <summary>An ```expect block following the step's block, skipping blank lines; empty when there is none.</summary>
    private static IReadOnlyList<string> ReadExpectBlock(string[] lines, ref int i)
    {
        var next = i + 1;
        while (next < lines.Length && string.IsNullOrWhiteSpace(lines[next]))
        {
            next++;
        }

        if (next >= lines.Length || Fence().Match(lines[next]) is not { Success: true } fence || fence.Groups["info"].Value.Trim() != "expect")
        {
            return [];
        }

        i = next;
        return ReadBlock(lines, ref i, next + 1).Split('\n').Where(line => !string.IsNullOrWhiteSpace(line)).ToArray();
    }

    /// <summary>The text between the fence at <paramref name="i"/> and its closing fence; leaves <paramref name="i"/> on the closing fence.</summary>
    private static string ReadBlock(string[] lines, ref int i, int fenceLine)
    {
        var start = i + 1;
        for (i = start; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() == "```")
            {
                return string.Join('\n', lines[start..i]);
            }
        }

        throw new FormatException($"The code block opened at line {fenceLine} is never closed.");
    }

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^```(?<info>\S.*)$")]
    private static partial Regex Fence();
}
