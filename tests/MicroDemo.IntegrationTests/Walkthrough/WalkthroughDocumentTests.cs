namespace MicroDemo.IntegrationTests.Walkthrough;

public sealed class WalkthroughDocumentTests
{
    [Fact]
    public void Bash_blocks_are_steps_named_by_their_heading_with_the_expect_block_after_them()
    {
        var steps = WalkthroughDocument.Parse("""
            # Title
            ## 1. Up
            ```bash
            ./demo up -d
            ```

            ```expect
            MicroDemo is up.

            gateway ... passing
            ```
            ```json
            {"not": "a step"}
            ```
            ## 2. Compose
            ```bash compose
            docker compose up -d
            ```
            ```bash
            echo second
            echo block
            ```
            """);

        Assert.Collection(
            steps,
            up =>
            {
                Assert.Equal(("1. Up", 3, "./demo up -d", WalkthroughTracks.Native), (up.Name, up.Line, up.Script, up.Track));
                Assert.Equal(["MicroDemo is up.", "gateway ... passing"], up.Expected);
            },
            compose => Assert.Equal(("2. Compose", WalkthroughTracks.Compose, (IReadOnlyList<string>)[]), (compose.Name, compose.Track, compose.Expected)),
            second => Assert.Equal(("2. Compose (2)", "echo second\necho block", WalkthroughTracks.Native), (second.Name, second.Script, second.Track)));
    }

    [Fact]
    public void An_unclosed_block_names_its_line()
    {
        var error = Assert.Throws<FormatException>(() => WalkthroughDocument.Parse("# T\n\n```bash\necho hi\n"));

        Assert.Contains("line 3", error.Message);
    }
}
