using System.Security.Claims;
using MicroDemo.Gateway.Security;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MicroDemo.Gateway.Tests.Security;

public sealed class AcceptedTokenCacheTests
{
    private readonly ManualClock _clock = new();
    private readonly OpenIdConnectConfiguration _metadata = new();
    private readonly ClaimsPrincipal _alice = new(new ClaimsIdentity([new Claim("sub", "alice")], "Bearer"));

    [Fact]
    public void An_accepted_token_is_answered_for_its_scheme_only()
    {
        var cache = new AcceptedTokenCache(_clock);
        cache.Add("Identity", "token-a", _metadata, _alice, _clock.GetUtcNow().AddMinutes(5));

        Assert.True(cache.TryGet("Identity", "token-a", _metadata, out var principal));
        Assert.Same(_alice, principal);
        Assert.False(cache.TryGet("Partner", "token-a", _metadata, out _));
        Assert.False(cache.TryGet("Identity", "token-b", _metadata, out _));
    }

    [Fact]
    public void An_entry_ends_when_its_token_expires()
    {
        var cache = new AcceptedTokenCache(_clock);
        cache.Add("Identity", "token-a", _metadata, _alice, _clock.GetUtcNow().AddMinutes(5));

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False(cache.TryGet("Identity", "token-a", _metadata, out _));
    }

    [Fact]
    public void New_issuer_metadata_sends_every_token_back_to_validation()
    {
        var cache = new AcceptedTokenCache(_clock);
        cache.Add("Identity", "token-a", _metadata, _alice, _clock.GetUtcNow().AddMinutes(5));

        Assert.False(cache.TryGet("Identity", "token-a", new OpenIdConnectConfiguration(), out _));
        Assert.False(cache.TryGet("Identity", "token-a", currentMetadata: null, out _));
    }

    [Fact]
    public void Tokens_without_expiry_or_checked_without_current_metadata_are_not_kept()
    {
        var cache = new AcceptedTokenCache(_clock);
        cache.Add("Identity", "no-exp", _metadata, _alice, expiresAt: null);
        cache.Add("Identity", "no-metadata", metadata: null, _alice, _clock.GetUtcNow().AddMinutes(5));

        Assert.False(cache.TryGet("Identity", "no-exp", _metadata, out _));
        Assert.False(cache.TryGet("Identity", "no-metadata", _metadata, out _));
    }

    [Fact]
    public void A_full_cache_keeps_accepting_new_tokens()
    {
        var cache = new AcceptedTokenCache(_clock);
        for (var i = 0; i <= AcceptedTokenCache.Capacity; i++)
        {
            cache.Add("Identity", $"token-{i}", _metadata, _alice, _clock.GetUtcNow().AddMinutes(5));
        }

        Assert.True(cache.TryGet("Identity", $"token-{AcceptedTokenCache.Capacity}", _metadata, out _));
    }
}
