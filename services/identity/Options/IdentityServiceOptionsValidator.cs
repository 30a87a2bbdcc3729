using MicroDemo.Identity.Secrets;
using MicroDemo.Identity.Token;
using Microsoft.Extensions.Options;

namespace MicroDemo.Identity.Options;

/// <summary>Fails startup with every configuration mistake at once, each named by its configuration key.</summary>
public sealed class IdentityServiceOptionsValidator : IValidateOptions<IdentityServiceOptions>
{
    private const string Section = IdentityServiceOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, IdentityServiceOptions options)
    {
        var errors = new List<string>();

        if (!IsHttpUrl(options.Issuer))
        {
            errors.Add($"{Section}:Issuer '{options.Issuer}' must be an absolute http or https URL.");
        }

        if (!string.IsNullOrEmpty(options.PublicOrigin) && !IsHttpUrl(options.PublicOrigin))
        {
            errors.Add($"{Section}:PublicOrigin '{options.PublicOrigin}' must be an absolute http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add($"{Section}:Audience must not be empty.");
        }

        if (options.TokenLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:TokenLifetime must be positive (for example \"01:00:00\").");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPath))
        {
            errors.Add($"{Section}:KeyPath must not be empty.");
        }

        foreach (var scope in options.Scopes.Where(scope => !ScopeSet.IsValidToken(scope)))
        {
            errors.Add($"{Section}:Scopes contains '{scope}', which is not a valid scope token (RFC 6749 §3.3: printable ASCII, no space, quote or backslash).");
        }

        foreach (var (clientId, client) in options.Clients)
        {
            var key = $"{Section}:Clients:{clientId}";
            if (!SecretHash.TryParse(client.SecretHash, out _, out var hashError))
            {
                errors.Add($"{key}:SecretHash is not a valid hash: {hashError}.");
            }

            if (client.AllowedGrantTypes.Count == 0)
            {
                errors.Add($"{key}:AllowedGrantTypes must list at least one of: {string.Join(", ", GrantTypes.Supported)}.");
            }

            foreach (var grantType in client.AllowedGrantTypes.Except(GrantTypes.Supported))
            {
                errors.Add($"{key}:AllowedGrantTypes contains '{grantType}'; supported: {string.Join(", ", GrantTypes.Supported)}.");
            }

            foreach (var scope in client.AllowedScopes.Except(options.Scopes, StringComparer.Ordinal))
            {
                errors.Add($"{key}:AllowedScopes contains '{scope}', which is not listed in {Section}:Scopes.");
            }
        }

        foreach (var (apiName, api) in options.Apis)
        {
            if (options.Clients.ContainsKey(apiName))
            {
                errors.Add($"{Section}:Apis:{apiName} has the name of a client; APIs and clients share the client_id namespace.");
            }

            if (!SecretHash.TryParse(api.SecretHash, out _, out var hashError))
            {
                errors.Add($"{Section}:Apis:{apiName}:SecretHash is not a valid hash: {hashError}.");
            }
        }

        foreach (var (userName, user) in options.Users)
        {
            if (!SecretHash.TryParse(user.PasswordHash, out _, out var hashError))
            {
                errors.Add($"{Section}:Users:{userName}:PasswordHash is not a valid hash: {hashError}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
