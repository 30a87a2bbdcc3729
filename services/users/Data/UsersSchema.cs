using MicroDemo.ServiceDefaults.Data;
using Microsoft.Data.Sqlite;

namespace MicroDemo.Users.Data;

/// <summary>The users table, seeded with three people so the demo has something to show.</summary>
public sealed class UsersSchema : ISqliteSchema
{
    public async Task CreateAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS users (
                id    INTEGER PRIMARY KEY AUTOINCREMENT,
                name  TEXT NOT NULL,
                email TEXT NOT NULL UNIQUE COLLATE NOCASE
            );
            INSERT INTO users (id, name, email) VALUES
                (1, 'alice', 'alice@example.com'),
                (2, 'bob',   'bob@example.com'),
                (3, 'carol', 'carol@example.com');
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
