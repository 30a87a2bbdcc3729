using System.Security.Claims;
using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Tests.Security;

public sealed class ClaimValueExpressionTests
{
    [Theory]
    [InlineData("Claims[sub] > value", "sub", 0, "")]
    [InlineData("Claims[LocationId]>value", "LocationId", 0, "")]
    [InlineData("Claims[sub] > value[1] > |", "sub", 1, "|")]
    [InlineData("  claims[customer] > VALUE[0] > ,;  ", "customer", 0, ",;")]
    [InlineData("Claims[http://schemas.example/role] > value", "http://schemas.example/role", 0, "")]
    public void Valid_expressions_compile(string expression, string claimType, int index, string delimiters)
    {
        Assert.True(ClaimValueExpression.TryParse(expression, out var parsed, out var reason), reason);
        Assert.Equal(new ClaimValueExpression(claimType, index, delimiters), parsed);
    }

    [Theory]
    [InlineData("", "expected 'Claims[<type>] > value'")]
    [InlineData("Claims[sub]", "expected 'Claims[<type>] > value'")]
    [InlineData("sub > value", "should name the claim as Claims[<type>]")]
    [InlineData("Claims[] > value", "should name the claim as Claims[<type>]")]
    [InlineData("Claims[sub > value", "should name the claim as Claims[<type>]")]
    [InlineData("Claims[sub] > val", "should be value or value[<non-negative integer>]")]
    [InlineData("Claims[sub] > value[x] > |", "should be value or value[<non-negative integer>]")]
    [InlineData("Claims[sub] > value[-1] > |", "should be value or value[<non-negative integer>]")]
    [InlineData("Claims[sub] > value[1]", "needs a delimiter")]
    [InlineData("Claims[sub] > value[1] > ", "needs a delimiter")]
    [InlineData("Claims[sub] > value > |", "only makes sense with value[<index>]")]
    [InlineData("Claims[a] > value[0] > | > x", "expected 'Claims[<type>] > value'")]
    public void Invalid_expressions_give_a_reason(string expression, string reasonPart)
    {
        Assert.False(ClaimValueExpression.TryParse(expression, out _, out var reason));
        Assert.Contains(reasonPart, reason);
    }

    [Fact]
    public void ParseAll_reports_every_bad_entry_with_its_setting_and_key()
    {
        var errors = new List<string>();

        var compiled = ClaimValueExpression.ParseAll(
            new Dictionary<string, string> { ["X-Ok"] = "Claims[sub] > value", ["X-Bad"] = "Claims[sub]" },
            "Routes[0].AddHeadersToRequest",
            errors);

        Assert.Equal(["X-Ok"], compiled.Keys);
        var error = Assert.Single(errors);
        Assert.StartsWith("Routes[0].AddHeadersToRequest.X-Bad: 'Claims[sub]' is not a claims expression", error);
    }

    [Theory]
    [InlineData("Claims[customer] > value", "eu|c-17", "eu|c-17")]
    [InlineData("Claims[customer] > value[1] > |", "eu|c-17", "c-17")]
    [InlineData("Claims[customer] > value[2] > |;", "eu;c-17|gold", "gold")]
    public void Values_are_taken_whole_or_by_part(string expression, string claimValue, string expected)
    {
        var user = User(("customer", claimValue));
        Assert.True(ClaimValueExpression.TryParse(expression, out var parsed, out _));

        Assert.True(parsed.TryResolve(user, out var value, out var reason), reason);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Several_claims_of_the_type_are_joined_with_commas_before_splitting()
    {
        var user = User(("role", "user"), ("role", "admin"));
        Assert.True(ClaimValueExpression.TryParse("Claims[role] > value[1] > ,", out var second, out _));
        Assert.True(ClaimValueExpression.TryParse("Claims[role] > value", out var whole, out _));

        Assert.True(second.TryResolve(user, out var value, out _));
        Assert.Equal("admin", value);
        Assert.True(whole.TryResolve(user, out var joined, out _));
        Assert.Equal("user,admin", joined);
    }

    [Fact]
    public void A_missing_claim_or_part_cannot_be_resolved()
    {
        var user = User(("customer", "eu"));
        Assert.True(ClaimValueExpression.TryParse("Claims[customer] > value[3] > |", out var outOfRange, out _));
        Assert.True(ClaimValueExpression.TryParse("Claims[org] > value", out var missing, out _));

        Assert.False(outOfRange.TryResolve(user, out _, out var rangeReason));
        Assert.Contains("no part 3", rangeReason);
        Assert.False(missing.TryResolve(user, out _, out var missingReason));
        Assert.Contains("no 'org' claim", missingReason);
    }

    private static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(claim => new Claim(claim.Type, claim.Value)), "test"));
}
