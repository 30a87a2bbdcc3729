using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.Identity.Keys;

/// <summary>One RSA key of the ring, with its <c>kid</c>: the RFC 7638 thumbprint, so it is the same after every restart.</summary>
public sealed class SigningKey : IDisposable
{
    private readonly RSA _rsa;

    private SigningKey(RSA rsa)
    {
        _rsa = rsa;
        var publicKey = rsa.ExportParameters(includePrivateParameters: false);
        KeyId = Base64UrlEncoder.Encode(new RsaSecurityKey(publicKey).ComputeJwkThumbprint());
        // A factory of its own: the shared default caches signature providers by kid, and would hand a later
        // ring with the same kid (a restart in the same process) a provider over this key after it is disposed.
        var privateKey = new RsaSecurityKey(rsa) { KeyId = KeyId, CryptoProviderFactory = new CryptoProviderFactory() };
        Credentials = new SigningCredentials(privateKey, SecurityAlgorithms.RsaSha256);
    }

    public string KeyId { get; }

    public SigningCredentials Credentials { get; }

    /// <exception cref="CryptographicException">The stored text is not an RSA private key.</exception>
    public static SigningKey Import(string pkcs8)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(pkcs8), out _);
            return new SigningKey(rsa);
        }
        catch (FormatException exception)
        {
            rsa.Dispose();
            throw new CryptographicException("The private key is not base64.", exception);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    public void Dispose() => _rsa.Dispose();
}
