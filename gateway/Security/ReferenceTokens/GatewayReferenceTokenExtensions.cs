using MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;
using Microsoft.AspNetCore.Authentication;

namespace MicroDemo.Gateway.Security.ReferenceTokens;

public static class GatewayReferenceTokenExtensions
{
    /// <summary>
    /// A reference-token scheme for every provider whose <c>SupportedTokens</c> is <c>Reference</c> or <c>Both</c>, and the
    /// <see cref="ReferenceTokenSchemes"/> that routes each token to the right scheme.
    /// </summary>
    /// <exception cref="InvalidOperationException">A provider's introspection settings are invalid; the message lists every problem.</exception>
    public static AuthenticationBuilder AddGatewayReferenceTokens(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var supported = new Dictionary<string, SupportedTokens>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var section in configuration.GetSection(AuthenticationProviderSettings.SectionName).GetChildren())
        {
            var settings = section.Get<ReferenceTokenProviderSettings>() ?? new ReferenceTokenProviderSettings();
            supported[section.Key] = settings.SupportedTokens;
            if (settings.SupportedTokens == SupportedTokens.Jwt)
            {
                continue;
            }

            var provider = section.Get<AuthenticationProviderSettings>() ?? new AuthenticationProviderSettings();
            var introspectionErrors = settings.Introspection.Validate($"{section.Path}:{IntrospectionOptions.SectionName}").ToArray();
            errors.AddRange(introspectionErrors);
            if (introspectionErrors.Length == 0 && provider.Authority is not null)
            {
                authentication.AddReferenceTokens(ReferenceTokenSchemes.SchemeName(section.Key), provider.Authority, provider.Audience, settings.Introspection);
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid gateway authentication settings:\n" + string.Join('\n', errors));
        }

        authentication.Services.AddSingleton(new ReferenceTokenSchemes(supported));
        return authentication;
    }
}
