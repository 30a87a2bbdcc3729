namespace MicroDemo.Orders.Orders;

/// <param name="CreatedBy">Who placed the order: the caller's <c>sub</c> claim once requests are authenticated; null before.</param>
public sealed record Order(long Id, long UserId, string Product, int Quantity, DateTimeOffset CreatedAt, string? CreatedBy);
