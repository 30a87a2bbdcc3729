namespace MicroDemo.Identity.Secrets;

/// <summary>
/// <c>dotnet MicroDemo.Identity.dll hash [secret]</c>: prints the hash to paste into
/// <c>Identity:Clients:&lt;id&gt;:SecretHash</c> or <c>Identity:Users:&lt;name&gt;:PasswordHash</c>.
/// Without an argument the secret is read from standard input, which keeps it out of the shell history.
/// </summary>
public static class HashCommand
{
    public const string Name = "hash";

    public static int Run(IReadOnlyList<string> arguments, TextReader input, TextWriter output, TextWriter error)
    {
        var secret = arguments.Count switch
        {
            0 => input.ReadLine(),
            1 => arguments[0],
            _ => null,
        };

        if (string.IsNullOrEmpty(secret))
        {
            error.WriteLine("usage: dotnet MicroDemo.Identity.dll hash [secret]   (reads the secret from stdin when omitted)");
            return 2;
        }

        output.WriteLine(SecretHash.Create(secret));
        return 0;
    }
}
