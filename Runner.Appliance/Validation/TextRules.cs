using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Runner.Appliance.Validation;

/// <summary>
/// The length and character rule of a text field, when it is not the default (one line of at most
/// <see cref="TextRules.DefaultMaxLength"/> characters). Multi-line fields (PEM blocks, keys) may hold
/// line breaks and tabs; no field accepts other control characters (NUL, ESC, …).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TextLimitAttribute(int maxLength, bool multiLine = false) : Attribute
{
    public int MaxLength { get; } = maxLength;

    public bool MultiLine { get; } = multiLine;
}

/// <summary>
/// One rule for every text that comes in, from a form or the API: a length limit and a character
/// rule per field, named in the OpenAPI schema (maxLength, pattern) and checked before any save.
/// </summary>
public static class TextRules
{
    public const int DefaultMaxLength = 255;

    /// <summary>Secrets (private keys, PFX files in base64) are long and may span lines.</summary>
    public const int SecretMaxLength = 65_536;

    /// <summary>What the OpenAPI schema says of a one-line field: no control character.</summary>
    public const string SingleLinePattern = "^[^\\u0000-\\u001F\\u007F]*$";

    /// <summary>A multi-line field: line breaks and tabs, no other control character.</summary>
    public const string MultiLinePattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$";

    private static readonly TextLimitAttribute Default = new(DefaultMaxLength);
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name, TextLimitAttribute Rule)[]> Properties = new();

    public static TextLimitAttribute RuleOf(ICustomAttributeProvider? member) =>
        member?.GetCustomAttributes(typeof(TextLimitAttribute), true).OfType<TextLimitAttribute>().FirstOrDefault() ?? Default;

    /// <summary>What is wrong with <paramref name="value"/> under <paramref name="rule"/>, or null.</summary>
    public static string? Problem(string? value, TextLimitAttribute rule)
    {
        if (value is null)
            return null;
        if (value.Length > rule.MaxLength)
            return $"Too long: {value.Length:N0} characters; at most {rule.MaxLength:N0} are accepted.";
        foreach (var c in value)
        {
            if (!char.IsControl(c) || (rule.MultiLine && c is '\n' or '\r' or '\t'))
                continue;
            return c is '\n' or '\r'
                ? "Must be a single line: remove the line break."
                : $"Contains a control character (U+{(int)c:X4}); only printable text is accepted{(rule.MultiLine ? ", with line breaks and tabs" : "")}.";
        }
        return null;
    }

    /// <summary>
    /// Checks every text property of <paramref name="dto"/> (strings, lists of strings and secret
    /// inputs' new values), adding each problem under the field's camelCase name.
    /// </summary>
    public static FieldErrors Check(object dto, FieldErrors? errors = null)
    {
        errors ??= new FieldErrors();
        foreach (var (property, name, rule) in Properties.GetOrAdd(dto.GetType(), TextProperties))
        {
            switch (property.GetValue(dto))
            {
                case string text when Problem(text, rule) is { } problem:
                    errors.Add(name, problem);
                    break;
                case IEnumerable<string?> texts:
                    foreach (var (text, i) in texts.Select((t, i) => (t, i)))
                        if (Problem(text, rule) is { } problem)
                            errors.Add($"{name}[{i}]", problem);
                    break;
                case Security.SecretInput { NewValue: { } secret } when Problem(secret, SecretRule) is { } problem:
                    errors.Add(name, problem);
                    break;
            }
        }
        return errors;
    }

    /// <summary>The rule of a secret input's new value: long, multi-line (keys); never echoed.</summary>
    public static TextLimitAttribute SecretRule { get; } = RuleOf(typeof(Security.SecretInput).GetProperty(nameof(Security.SecretInput.NewValue)));

    private static (PropertyInfo, string, TextLimitAttribute)[] TextProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0
                && (p.PropertyType == typeof(string) || p.PropertyType == typeof(Security.SecretInput) || typeof(IEnumerable<string>).IsAssignableFrom(p.PropertyType)))
            .Select(p => (p, JsonNamingPolicy.CamelCase.ConvertName(p.Name), RuleOf(p)))];
}
