using System.Text;
using System.Text.RegularExpressions;

namespace MicroDemo.IntegrationTests.Walkthrough;

/// <summary>
/// Compares a step's output with its ```expect block. Every expected line must be found in the output, in
/// order, each within one output line (it may be part of a longer line). In an expected line:
/// <list type="bullet">
/// <item><c>...</c> stands for any text (ids, timestamps, tokens);</item>
/// <item><c>&lt;NAME&gt;</c> (capitals, digits, _) stands for one word of letters, digits, <c>. : - _</c> such as a
/// port or an id. Within a step, the same name always stands for the same word and different names for
/// different words, so <c>5031 &lt;A&gt; &lt;B&gt; &lt;A&gt; &lt;B&gt;</c> says "two values, alternating".</item>
/// </list>
/// Trailing blanks and carriage returns (curl prints header lines with CRLF) are ignored.
/// </summary>
public static partial class ExpectedOutput
{
    /// <summary>Null when <paramref name="output"/> matches; otherwise why not, for the failure message.</summary>
    public static string? Mismatch(IReadOnlyList<string> expected, string output)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd()).ToArray();
        var bound = new Dictionary<string, string>(StringComparer.Ordinal);
        var from = 0;
        foreach (var (pattern, index) in expected.Select((line, index) => (line.TrimEnd(), index)))
        {
            var found = Find(pattern, lines, from, bound);
            if (found < 0)
            {
                var where = from == 0 ? "anywhere in the output" : $"after output line {from} ('{lines[from - 1]}')";
                var names = bound.Count == 0 ? "" : $" (with {string.Join(", ", bound.Select(b => $"<{b.Key}>={b.Value}"))})";
                return $"expected line {index + 1}, '{pattern}', not found {where}{names}.";
            }

            from = found + 1;
        }

        return null;
    }

    /// <summary>The index of the first output line at or after <paramref name="from"/> that the pattern matches; binds its new names.</summary>
    private static int Find(string pattern, string[] lines, int from, Dictionary<string, string> bound)
    {
        var regex = ToRegex(pattern, bound);
        for (var i = from; i < lines.Length; i++)
        {
            // Every start position, not only non-overlapping matches: "5032 5032 5031" holds "<A> <B>" at its second word.
            for (var start = 0; start < lines[i].Length; start++)
            {
                var match = regex.Match(lines[i], start);
                if (!match.Success)
                {
                    break;
                }

                start = match.Index;
                var fresh = match.Groups.Values.Where(g => g.Success && Placeholder().IsMatch($"<{g.Name}>")).ToArray();
                var values = fresh.Select(g => g.Value).ToArray();
                // Different names stand for different words: among themselves and against earlier bindings.
                if (values.Distinct(StringComparer.Ordinal).Count() == values.Length && !values.Intersect(bound.Values).Any())
                {
                    foreach (var group in fresh)
                    {
                        bound[group.Name] = group.Value;
                    }

                    return i;
                }
            }
        }

        return -1;
    }

    private static Regex ToRegex(string pattern, Dictionary<string, string> bound)
    {
        var regex = new StringBuilder();
        var named = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        foreach (Match token in Token().Matches(pattern))
        {
            regex.Append(Regex.Escape(pattern[position..token.Index]));
            position = token.Index + token.Length;
            if (token.Value == "...")
            {
                regex.Append(".*?");
            }
            else
            {
                var name = token.Groups["name"].Value;
                regex.Append(bound.TryGetValue(name, out var value) ? Regex.Escape(value)
                    : named.Add(name) ? $"(?<{name}>{Word})"
                    : $@"\k<{name}>");
            }
        }

        regex.Append(Regex.Escape(pattern[position..]));
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    private const string Word = @"[\w.:-]+";

    [GeneratedRegex(@"\.\.\.|<(?<name>[A-Z][A-Z0-9_]*)>")]
    private static partial Regex Token();

    [GeneratedRegex(@"^<[A-Z][A-Z0-9_]*>$")]
    private static partial Regex Placeholder();
}
