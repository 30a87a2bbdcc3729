using MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MicroDemo.ServiceDefaults.Authentication;

/// <summary>Stops startup on a malformed authority, rather than failing every request later.</summary>
internal sealed class ServiceAuthenticationOptionsValidator(IHostEnvironment environment) : IValidateOptions<ServiceAuthenticationOptions>
{
    private const string Section = ServiceAuthenticationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ServiceAuthenticationOptions options)
    {
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttp && authority.Scheme != Uri.UriSchemeHttps))
        {
            return ValidateOptionsResult.Fail($"{Section}:Authority '{options.Authority}' must be an absolute http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            return ValidateOptionsResult.Fail($"{Section}:Audience must not be empty.");
        }

        if (authority.Scheme == Uri.UriSchemeHttp && options.RequiresHttpsMetadata(environment))
        {
            return ValidateOptionsResult.Fail(
                $"{Section}:Authority '{options.Authority}' is plain http on a host that is not loopback: use https, "
                + $"or set {Section}:RequireHttpsMetadata=false if the network between the services is private.");
        }

        var introspectionErrors = options.SupportedTokens == SupportedTokens.Jwt
            ? []
            : options.Introspection.Validate($"{Section}:{IntrospectionOptions.SectionName}").ToArray();
        return introspectionErrors.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(introspectionErrors);
    }
}

internal static class HttpsMetadataPolicy
{
    /// <summary>Metadata carries the signing keys: over plain http anyone on the path could swap them for their own.</summary>
    public static bool RequiresHttpsMetadata(this ServiceAuthenticationOptions options, IHostEnvironment environment) =>
        options.RequireHttpsMetadata
        ?? !(environment.IsDevelopment() || (Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) && authority.IsLoopback));
}
