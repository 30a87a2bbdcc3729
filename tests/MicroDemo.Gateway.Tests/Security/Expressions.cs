using MicroDemo.Gateway.Security;

namespace MicroDemo.Gateway.Tests.Security;

internal static class Expressions
{
    /// <summary>Compiles expressions the test knows to be valid.</summary>
    public static IReadOnlyDictionary<string, ClaimValueExpression> Compile(Dictionary<string, string> expressions)
    {
        var errors = new List<string>();
        var compiled = ClaimValueExpression.ParseAll(expressions, "test", errors);
        Assert.Empty(errors);
        return compiled;
    }
}
