using System.Net.Mail;

namespace MicroDemo.Users.Users;

/// <summary>The body of <c>POST /users</c> and <c>PUT /users/{id}</c>.</summary>
public sealed record UserRequest(string? Name, string? Email)
{
    public const int MaxNameLength = 100;

    /// <summary>Errors by JSON field name, in the shape <c>TypedResults.ValidationProblem</c> takes; empty when valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors["name"] = ["The name is required."];
        }
        else if (Name.Trim().Length > MaxNameLength)
        {
            errors["name"] = [$"The name must be at most {MaxNameLength} characters."];
        }

        if (string.IsNullOrWhiteSpace(Email))
        {
            errors["email"] = ["The email is required."];
        }
        else if (!MailAddress.TryCreate(Email.Trim(), out var address) || address.Address != Email.Trim() || !address.Host.Contains('.'))
        {
            errors["email"] = [$"'{Email}' is not an email address like name@example.com."];
        }

        return errors;
    }
}
