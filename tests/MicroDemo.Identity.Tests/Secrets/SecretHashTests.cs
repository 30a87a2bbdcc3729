using MicroDemo.Identity.Secrets;

namespace MicroDemo.Identity.Tests.Secrets;

public sealed class SecretHashTests
{
    [Fact]
    public void Hash_matches_its_secret_only()
    {
        var hash = SecretHash.Create("s3cret", SecretHash.MinimumIterations);

        Assert.True(hash.Matches("s3cret"));
        Assert.False(hash.Matches("s3cret "));
        Assert.False(hash.Matches("S3cret"));
        Assert.False(hash.Matches(""));
    }

    [Fact]
    public void Hash_text_round_trips_and_is_salted()
    {
        var first = SecretHash.Create("same", SecretHash.MinimumIterations).ToString();
        var second = SecretHash.Create("same", SecretHash.MinimumIterations).ToString();

        Assert.Matches(@"^pbkdf2-sha256\$10000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$", first);
        Assert.NotEqual(first, second);
        Assert.True(SecretHash.TryParse(first, out var parsed, out _));
        Assert.True(parsed.Matches("same"));
        Assert.Equal(first, parsed.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain-text-secret")]
    [InlineData("pbkdf2-sha1$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$many$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$100000$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$not base64")]
    [InlineData("pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    public void Malformed_hash_text_is_refused_with_a_reason(string? text)
    {
        Assert.False(SecretHash.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }
}
