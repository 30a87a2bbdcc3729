using System.Diagnostics.CodeAnalysis;

namespace MicroDemo.Identity.Token;

/// <summary>
/// Scope handling (RFC 6749 §3.3): a space-delimited list of case-sensitive tokens. OpenIddict's own scope checks
/// are switched off (see IdentityServiceExtensions) because this service grants every allowed scope when none is
/// requested, and answers unknown scopes and other clients' scopes alike with invalid_scope.
/// </summary>
public static class ScopeSet
{
    /// <summary>scope-token = 1*( %x21 / %x23-5B / %x5D-7E )</summary>
    public static bool IsValidToken(string token) =>
        token.Length > 0 && token.All(c => c == '\x21' || c is >= '\x23' and <= '\x5B' || c is >= '\x5D' and <= '\x7E');

    /// <summary>
    /// The scopes to grant: the requested ones when the client may have all of them, or every scope the
    /// client may have when none was requested (the default §3.3 lets the server choose).
    /// </summary>
    public static bool TryResolve(
        string? requested,
        IReadOnlyList<string> allowed,
        [NotNullWhen(true)] out IReadOnlyList<string>? granted,
        [NotNullWhen(false)] out string? error)
    {
        granted = null;
        var tokens = (requested ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (tokens.Length == 0)
        {
            granted = [.. allowed];
            error = null;
            return true;
        }

        var refused = tokens.Where(token => !allowed.Contains(token)).ToArray();
        if (refused.Length > 0)
        {
            // Unknown scopes and scopes of other clients get the same answer: the client learns nothing about others.
            // Only well-formed tokens are echoed, as error_description may not hold quotes or backslashes.
            var shown = refused.Where(IsValidToken).ToArray();
            error = shown.Length > 0
                ? $"The client may not request the scope(s): {string.Join(' ', shown)}."
                : "The scope parameter holds characters RFC 6749 section 3.3 does not allow.";
            return false;
        }

        granted = tokens;
        error = null;
        return true;
    }
}
