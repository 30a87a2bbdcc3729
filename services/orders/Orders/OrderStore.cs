using System.Globalization;
using MicroDemo.ServiceDefaults.Data;
using Microsoft.Data.Sqlite;

namespace MicroDemo.Orders.Orders;

/// <summary>The orders table through plain ADO.NET: every query is visible right here.</summary>
public sealed class OrderStore(SqliteDatabase database, TimeProvider clock)
{
    private const string Columns = "id, user_id, product, quantity, created_at, created_by";

    public async Task<IReadOnlyList<Order>> ListAsync(long? userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM orders WHERE $userId IS NULL OR user_id = $userId ORDER BY id;";
        command.Parameters.AddWithValue("$userId", (object?)userId ?? DBNull.Value);
        return await ReadOrdersAsync(command, cancellationToken);
    }

    public async Task<Order?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM orders WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return (await ReadOrdersAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<Order> CreateAsync(long userId, string product, int quantity, string? createdBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO orders (user_id, product, quantity, created_at, created_by)
            VALUES ($userId, $product, $quantity, $createdAt, $createdBy)
            RETURNING {Columns};
            """;
        command.Parameters.AddWithValue("$userId", userId);
        command.Parameters.AddWithValue("$product", product);
        command.Parameters.AddWithValue("$quantity", quantity);
        command.Parameters.AddWithValue("$createdAt", clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$createdBy", (object?)createdBy ?? DBNull.Value);
        return (await ReadOrdersAsync(command, cancellationToken)).Single();
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM orders WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static async Task<IReadOnlyList<Order>> ReadOrdersAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var orders = new List<Order>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            orders.Add(new Order(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetInt32(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return orders;
    }
}
