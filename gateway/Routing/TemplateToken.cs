namespace MicroDemo.Gateway.Routing;

/// <summary>A piece of a path template: literal text, or a <c>{name}</c> placeholder (name without braces).</summary>
internal readonly record struct TemplateToken(bool IsPlaceholder, string Text)
{
    /// <summary>Splits a template strictly: an unclosed or empty placeholder is a configuration error.</summary>
    public static TemplateToken[] Parse(string template, string description)
    {
        var tokens = new List<TemplateToken>();
        var literalStart = 0;
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] != '{')
            {
                i++;
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                throw new FormatException($"{description} '{template}' has a '{{' at position {i} without a closing '}}'.");
            }

            var name = template.Substring(i + 1, close - i - 1);
            if (name.Length == 0 || name.Contains('{'))
            {
                throw new FormatException($"{description} '{template}' has an invalid placeholder '{{{name}}}' at position {i}: a placeholder is '{{name}}' with a non-empty name.");
            }

            if (i > literalStart)
            {
                tokens.Add(new(false, template[literalStart..i]));
            }

            tokens.Add(new(true, name));
            i = close + 1;
            literalStart = i;
        }

        if (literalStart < template.Length)
        {
            tokens.Add(new(false, template[literalStart..]));
        }

        return [.. tokens];
    }
}
