using MicroDemo.Identity.Secrets;

namespace MicroDemo.Identity.Users;

public sealed record RegisteredUser(
    string UserName,
    string SubjectId,
    SecretHash Password,
    string? Name,
    string? Email,
    IReadOnlyList<string> Roles);
