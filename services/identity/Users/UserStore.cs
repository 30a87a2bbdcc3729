using System.Collections.Frozen;
using MicroDemo.Identity.Options;
using MicroDemo.Identity.Secrets;
using Microsoft.Extensions.Options;

namespace MicroDemo.Identity.Users;

/// <summary>
/// The demo users of <c>Identity:Users</c>, for the password grant only. A real service keeps users in a
/// store of its own; configuration is enough to teach the grant.
/// </summary>
public sealed class UserStore
{
    private readonly FrozenDictionary<string, RegisteredUser> _users;

    public UserStore(IOptions<IdentityServiceOptions> options)
    {
        _users = options.Value.Users.ToFrozenDictionary(
            pair => pair.Key,
            pair => new RegisteredUser(
                pair.Key,
                string.IsNullOrEmpty(pair.Value.SubjectId) ? pair.Key : pair.Value.SubjectId,
                SecretHash.TryParse(pair.Value.PasswordHash, out var password, out _) ? password : throw new InvalidOperationException($"User '{pair.Key}' has an invalid password hash."),
                pair.Value.Name,
                pair.Value.Email,
                pair.Value.Roles),
            StringComparer.Ordinal);
    }

    /// <returns>The user, or null when the name is unknown or the password is wrong (the caller must not tell which).</returns>
    public RegisteredUser? Authenticate(string userName, string password)
    {
        if (!_users.TryGetValue(userName, out var user))
        {
            SecretHash.CompareWithDecoy(password);
            return null;
        }

        return user.Password.Matches(password) ? user : null;
    }
}
