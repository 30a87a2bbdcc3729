namespace MicroDemo.Orders.Orders;

/// <summary>The body of <c>POST /orders</c>.</summary>
public sealed record OrderRequest(long? UserId, string? Product, int? Quantity)
{
    public const int MaxProductLength = 200;

    /// <summary>Errors by JSON field name, in the shape <c>TypedResults.ValidationProblem</c> takes; empty when valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (UserId is not > 0)
        {
            errors["userId"] = ["The userId is required and must be a positive number."];
        }

        if (string.IsNullOrWhiteSpace(Product))
        {
            errors["product"] = ["The product is required."];
        }
        else if (Product.Trim().Length > MaxProductLength)
        {
            errors["product"] = [$"The product must be at most {MaxProductLength} characters."];
        }

        if (Quantity is not > 0)
        {
            errors["quantity"] = ["The quantity is required and must be greater than 0."];
        }

        return errors;
    }
}
