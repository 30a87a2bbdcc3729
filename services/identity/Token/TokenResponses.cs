namespace MicroDemo.Identity.Token;

/// <summary>RFC 6749 §5.1.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string Scope);

/// <summary>RFC 6749 §5.2.</summary>
public sealed record TokenErrorResponse(string Error, string ErrorDescription);
