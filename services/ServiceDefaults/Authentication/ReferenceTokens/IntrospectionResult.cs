using System.Security.Claims;

namespace MicroDemo.ServiceDefaults.Authentication.ReferenceTokens;

/// <summary>What the token service said about a token, or that it could not be asked.</summary>
public sealed record IntrospectionResult(IntrospectionStatus Status, IReadOnlyList<Claim> Claims)
{
    public static IntrospectionResult Inactive { get; } = new(IntrospectionStatus.Inactive, []);

    public static IntrospectionResult Unavailable { get; } = new(IntrospectionStatus.Unavailable, []);

    public static IntrospectionResult Active(IReadOnlyList<Claim> claims) => new(IntrospectionStatus.Active, claims);
}

public enum IntrospectionStatus
{
    Active,
    Inactive,
    Unavailable,
}

/// <summary>The introspection endpoint could not be asked (down, too slow, or refusing this API's credentials): the token may be fine.</summary>
public sealed class IntrospectionUnavailableException() : Exception("The token service's introspection endpoint could not be reached.");

/// <summary>The token service says the token is not active: unknown, revoked, expired, or not an access token for this API.</summary>
public sealed class InactiveTokenException() : Exception("The token is not active.");
