using MicroDemo.Identity.Secrets;

namespace MicroDemo.Identity.Tests.Secrets;

public sealed class HashCommandTests
{
    [Fact]
    public void Hash_of_an_argument_verifies_against_that_secret()
    {
        var (exitCode, output, _) = Run(["correct horse"], "");

        Assert.Equal(0, exitCode);
        Assert.True(SecretHash.TryParse(output.Trim(), out var hash, out _));
        Assert.True(hash.Matches("correct horse"));
        Assert.False(hash.Matches("correct horse battery"));
    }

    [Fact]
    public void Secret_is_read_from_standard_input_when_not_given()
    {
        var (exitCode, output, _) = Run([], "from-stdin\n");

        Assert.Equal(0, exitCode);
        Assert.True(SecretHash.TryParse(output.Trim(), out var hash, out _));
        Assert.True(hash.Matches("from-stdin"));
    }

    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "one", "two" }, "")]
    public void Missing_or_extra_arguments_print_the_usage(string[] arguments, string input)
    {
        var (exitCode, output, error) = Run(arguments, input);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("usage:", error);
    }

    private static (int ExitCode, string Output, string Error) Run(string[] arguments, string input)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = HashCommand.Run(arguments, new StringReader(input), output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
