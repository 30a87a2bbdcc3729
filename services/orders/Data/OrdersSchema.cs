using MicroDemo.ServiceDefaults.Data;
using Microsoft.Data.Sqlite;

namespace MicroDemo.Orders.Data;

/// <summary>
/// The orders table, seeded with orders of the users service's seed users (ids 1 and 2).
/// user_id is not a foreign key: users live in another service's database, checked over HTTP.
/// </summary>
public sealed class OrdersSchema : ISqliteSchema
{
    public async Task CreateAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS orders (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id    INTEGER NOT NULL,
                product    TEXT NOT NULL,
                quantity   INTEGER NOT NULL CHECK (quantity > 0),
                created_at TEXT NOT NULL,
                created_by TEXT NULL
            );
            CREATE INDEX IF NOT EXISTS orders_user_id ON orders (user_id);
            INSERT INTO orders (id, user_id, product, quantity, created_at) VALUES
                (1, 1, 'keyboard', 1, '2026-01-01T09:00:00+00:00'),
                (2, 2, 'monitor',  2, '2026-01-02T10:30:00+00:00');
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
