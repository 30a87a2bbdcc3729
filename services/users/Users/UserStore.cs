using MicroDemo.ServiceDefaults.Data;
using Microsoft.Data.Sqlite;

namespace MicroDemo.Users.Users;

/// <summary>The users table through plain ADO.NET: every query is visible right here.</summary>
public sealed class UserStore(SqliteDatabase database)
{
    private const int SqliteConstraint = 19;

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, email FROM users ORDER BY id;";
        return await ReadUsersAsync(command, cancellationToken);
    }

    public async Task<User?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, email FROM users WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return (await ReadUsersAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <returns>The new user, or null when another user already has the email.</returns>
    public async Task<User?> CreateAsync(string name, string email, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO users (name, email) VALUES ($name, $email) RETURNING id, name, email;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$email", email);
        return await WriteAsync(command, cancellationToken);
    }

    /// <returns>The updated user; null when there is none with <paramref name="id"/>.</returns>
    /// <exception cref="DuplicateEmailException">Another user has the email.</exception>
    public async Task<User?> UpdateAsync(long id, string name, string email, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE users SET name = $name, email = $email WHERE id = $id RETURNING id, name, email;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$email", email);
        return await WriteAsync(command, cancellationToken);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM users WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static async Task<User?> WriteAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return (await ReadUsersAsync(command, cancellationToken)).SingleOrDefault();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            // The only constraint a valid request can break is the unique email.
            throw new DuplicateEmailException();
        }
    }

    private static async Task<IReadOnlyList<User>> ReadUsersAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var users = new List<User>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(new User(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return users;
    }
}

/// <summary>Another user already has the email (the column is unique, case-insensitively).</summary>
public sealed class DuplicateEmailException : Exception;
