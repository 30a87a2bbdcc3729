using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MicroDemo.Gateway.Tests.Security;

/// <summary>
/// A minimal OpenID Connect issuer on 127.0.0.1: serves discovery metadata and a JWKS for an RSA key made
/// in the test, and mints tokens with it.
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    public const string DefaultAudience = "microdemo";

    private readonly JsonWebTokenHandler _tokens = new();
    private WebApplication? _app;
    private volatile RsaSecurityKey _signingKey = NewKey();

    private TestTokenIssuer(int port) => Port = port;

    public int Port { get; private set; }

    public string Authority => $"http://127.0.0.1:{Port}";

    public string SigningKeyId => _signingKey.KeyId;

    private int _metadataRequests;

    /// <summary>How often the discovery document was fetched.</summary>
    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    /// <summary>Starts on <paramref name="port"/> (0: any free port).</summary>
    public static async Task<TestTokenIssuer> StartAsync(int port = 0)
    {
        var issuer = new TestTokenIssuer(port);
        await issuer.StartAsync();
        return issuer;
    }

    /// <summary>An issuer that is not running yet, with its port reserved so its authority is known.</summary>
    public static TestTokenIssuer NotStarted() => new(MicroDemo.Testing.FreePorts.Next());

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref _metadataRequests);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = Authority,
                ["jwks_uri"] = Authority + "/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        app.MapGet("/jwks", () => Results.Json(new { keys = new[] { ToJwk(_signingKey) } }));
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        _app = app;
    }

    /// <summary>Replaces the signing key; the JWKS from now on lists only the new one.</summary>
    public void RotateKey() => _signingKey = NewKey();

    public string CreateToken(
        string? scope = null,
        IDictionary<string, object>? claims = null,
        string audience = DefaultAudience,
        DateTime? expires = null,
        SecurityKey? signWith = null,
        string subject = "42")
    {
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddMinutes(10);
        var all = new Dictionary<string, object> { ["sub"] = subject };
        if (scope is not null)
        {
            all["scope"] = scope;
        }

        foreach (var (type, value) in claims ?? new Dictionary<string, object>())
        {
            all[type] = value;
        }

        return _tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            IssuedAt = expiry.AddMinutes(-20),
            NotBefore = expiry.AddMinutes(-20),
            Expires = expiry,
            Claims = all,
            SigningCredentials = new SigningCredentials(signWith ?? _signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static Dictionary<string, string> ToJwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }
}
