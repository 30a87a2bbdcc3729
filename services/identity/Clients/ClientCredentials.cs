using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;
using MicroDemo.Identity.Token;

namespace MicroDemo.Identity.Clients;

/// <summary>A client's id and secret as presented on the token request.</summary>
public sealed record ClientCredentials(string ClientId, string ClientSecret)
{
    /// <summary>
    /// Reads HTTP Basic (RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by ':' and base64-encoded)
    /// or the <c>client_id</c>/<c>client_secret</c> body parameters. Using both at once is ambiguous, so it is rejected.
    /// </summary>
    public static bool TryRead(
        HttpRequest request,
        IFormCollection form,
        [NotNullWhen(true)] out ClientCredentials? credentials,
        [NotNullWhen(false)] out OAuthError? error)
    {
        credentials = null;
        var inBody = form.ContainsKey("client_id") || form.ContainsKey("client_secret");

        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (inBody)
            {
                error = OAuthError.InvalidRequest("Use one client authentication method: HTTP Basic or the client_id/client_secret parameters, not both.");
                return false;
            }

            credentials = DecodeBasic(header.Parameter);
            error = credentials is null ? OAuthError.InvalidClient("The Authorization header does not hold valid HTTP Basic credentials.") : null;
            return credentials is not null;
        }

        string? clientId = form["client_id"];
        string? clientSecret = form["client_secret"];
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret))
        {
            error = OAuthError.InvalidClient("Client authentication is required: HTTP Basic or the client_id and client_secret parameters.");
            return false;
        }

        credentials = new ClientCredentials(clientId, clientSecret);
        error = null;
        return true;
    }

    private static ClientCredentials? DecodeBasic(string? parameter)
    {
        var buffer = new byte[parameter?.Length ?? 0];
        if (parameter is null || !Convert.TryFromBase64String(parameter, buffer, out var length))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0 || separator == decoded.Length - 1)
        {
            return null;
        }

        return new ClientCredentials(FormDecode(decoded[..separator]), FormDecode(decoded[(separator + 1)..]));
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
