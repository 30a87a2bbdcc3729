using System.Buffers;

namespace MicroDemo.Gateway.Routing;

/// <summary>
/// Stack-first, pool-backed character builder for the per-request URL code. The BCL keeps its
/// ValueStringBuilder internal, so this is the small subset we need.
/// </summary>
internal ref struct PooledCharBuilder
{
    private char[]? _rented;
    private Span<char> _chars;
    private int _length;

    public PooledCharBuilder(Span<char> initialBuffer)
    {
        _rented = null;
        _chars = initialBuffer;
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> AsSpan() => _chars[.._length];

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = c;
    }

    public void Append(scoped ReadOnlySpan<char> value)
    {
        if (_length + value.Length > _chars.Length)
        {
            Grow(value.Length);
        }

        value.CopyTo(_chars[_length..]);
        _length += value.Length;
    }

    public void Truncate(int length) => _length = Math.Min(length, _length);

    public override readonly string ToString() => new(AsSpan());

    public void Dispose()
    {
        var toReturn = _rented;
        this = default;
        if (toReturn is not null)
        {
            ArrayPool<char>.Shared.Return(toReturn);
        }
    }

    private void Grow(int additional)
    {
        var next = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + additional));
        _chars[.._length].CopyTo(next);
        var toReturn = _rented;
        _chars = _rented = next;
        if (toReturn is not null)
        {
            ArrayPool<char>.Shared.Return(toReturn);
        }
    }
}
