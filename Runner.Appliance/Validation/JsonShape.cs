using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Runner.Appliance.Validation;

/// <summary>
/// Checks a JSON document against the .NET type it is about to be read into, before it is: every
/// value of the wrong kind, null where none is allowed, unknown enum value, unknown field, number
/// out of range and text that breaks its <see cref="TextRules"/>, each under its JSON path with what
/// is expected. The serializer would stop at the first problem and name .NET types; a technician
/// needs all of them, in words.
/// </summary>
public static class JsonShape
{
    private const int MaxErrors = 100;

    /// <summary>Parses <paramref name="utf8"/>; a broken document is one error that says where it breaks.</summary>
    public static FieldErrors Check(ReadOnlyMemory<byte> utf8, Type type, JsonSerializerOptions options, string root = "")
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
            return Check(document.RootElement, type, options, root);
        }
        catch (JsonException e)
        {
            return FieldErrors.Single(root.Length == 0 ? "$" : root, Broken(e));
        }
    }

    public static FieldErrors Check(JsonElement value, Type type, JsonSerializerOptions options, string root = "")
    {
        var errors = new FieldErrors();
        Visit(value, type, options, root, nullable: false, TextRules.RuleOf(null), errors);
        return errors;
    }

    /// <summary>"The JSON is broken at line 3, position 14: …" from a reader error (lines and positions counted from 1).</summary>
    public static string Broken(JsonException e)
    {
        var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
        return e.LineNumber is { } line
            ? $"The JSON is broken at line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {reason}."
            : $"The JSON is broken: {reason}.";
    }

    private static void Visit(JsonElement value, Type type, JsonSerializerOptions options, string path, bool nullable, TextLimitAttribute rule, FieldErrors errors)
    {
        if (errors.Count >= MaxErrors)
            return;
        var underlying = Nullable.GetUnderlyingType(type);
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!nullable && underlying is null)
                Add(errors, path, $"Must not be null; expected {Expected(type, options)}.");
            return;
        }
        type = underlying ?? type;
        if (type == typeof(object) || type == typeof(JsonElement) || typeof(System.Text.Json.Nodes.JsonNode).IsAssignableFrom(type))
            return;
        if (type == typeof(string))
        {
            if (value.ValueKind != JsonValueKind.String)
                Add(errors, path, $"Expected {Expected(type, options)}; got {Kind(value)}.");
            else if (TextRules.Problem(value.GetString(), rule) is { } problem)
                Add(errors, path, problem);
            return;
        }
        if (Scalar(value, type) is { } scalarProblem)
        {
            Add(errors, path, scalarProblem);
            return;
        }
        if (type.IsPrimitive || type.IsEnum || type == typeof(decimal) || IsTextual(type))
            return;
        var info = options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    Add(errors, path, $"Expected {Expected(type, options)}; got {Kind(value)}.");
                    return;
                }
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    Visit(item, info.ElementType!, options, $"{path}[{index++}]", nullable: false, rule, errors);
                return;
            case JsonTypeInfoKind.Dictionary:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    Add(errors, path, $"Expected {Expected(type, options)}; got {Kind(value)}.");
                    return;
                }
                foreach (var entry in value.EnumerateObject())
                    Visit(entry.Value, info.ElementType!, options, Join(path, entry.Name), nullable: false, rule, errors);
                return;
            case JsonTypeInfoKind.Object:
                VisitObject(value, info, options, path, errors);
                return;
        }
    }

    private static void VisitObject(JsonElement value, JsonTypeInfo info, JsonSerializerOptions options, string path, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(errors, path, $"Expected {Expected(info.Type, options)}; got {Kind(value)}.");
            return;
        }
        var comparison = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var properties = info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null).ToDictionary(p => p.Name, comparison);
        var seen = new HashSet<string>(comparison);
        foreach (var member in value.EnumerateObject())
        {
            var memberPath = Join(path, member.Name);
            if (!properties.TryGetValue(member.Name, out var property))
            {
                // Read-only fields a client echoes back from a GET (ids, "…Set" flags, who changed it) are not errors.
                if (!info.Properties.Any(p => comparison.Equals(p.Name, member.Name)))
                    Add(errors, memberPath, $"Unknown field '{Truncate(member.Name)}'; the fields here are {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}.");
                continue;
            }
            seen.Add(property.Name);
            var nullable = property.AssociatedParameter?.IsNullable ?? property.IsSetNullable;
            Visit(member.Value, property.PropertyType, options, memberPath, nullable, TextRules.RuleOf(property.AttributeProvider), errors);
        }
        foreach (var required in properties.Values.Where(p => (p.IsRequired || p.AssociatedParameter is { IsMemberInitializer: false, HasDefaultValue: false, IsNullable: false })
                     && !seen.Contains(p.Name)))
            Add(errors, Join(path, required.Name), $"Missing; expected {Expected(required.PropertyType, options)}.");
    }

    /// <summary>A problem with a number, boolean, enum or date value, or null when it fits (or is not a scalar).</summary>
    private static string? Scalar(JsonElement value, Type type)
    {
        if (type == typeof(bool))
            return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"Expected true or false; got {Kind(value)}.";
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            if (value.ValueKind != JsonValueKind.String)
                return $"Expected one of {string.Join(", ", names)} (in quotes); got {Kind(value)}.";
            var text = value.GetString()!;
            return names.Any(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) ? null
                : $"'{Truncate(text)}' is not accepted here; expected one of {string.Join(", ", names)}.";
        }
        if (Range(type) is { } range)
        {
            if (value.ValueKind != JsonValueKind.Number)
                return $"Expected {range.Words}; got {Kind(value)}.";
            if (range.Integral && !(value.TryGetDecimal(out var number) && decimal.Truncate(number) == number))
                return $"Expected {range.Words}; got {value.GetRawText()}.";
            return value.TryGetDouble(out var d) && d >= range.Min && d <= range.Max ? null : $"Out of range: expected {range.Words}; got {Truncate(value.GetRawText())}.";
        }
        if (IsTextual(type))
        {
            if (value.ValueKind != JsonValueKind.String)
                return $"Expected {TextualWords(type)}; got {Kind(value)}.";
            var text = value.GetString()!;
            var ok = type == typeof(DateTimeOffset) ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                : type == typeof(DateTime) ? DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                : type == typeof(TimeSpan) ? TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out _)
                : Guid.TryParse(text, out _);
            return ok ? null : $"Expected {TextualWords(type)}; got '{Truncate(text)}'.";
        }
        return null;
    }

    private static bool IsTextual(Type type) => type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(TimeSpan) || type == typeof(Guid);

    private static string TextualWords(Type type) =>
        type == typeof(TimeSpan) ? "a duration such as \"00:05:00\"" : type == typeof(Guid) ? "an identifier such as \"6f9619ff-8b86-d011-b42d-00c04fc964ff\""
        : "a date and time such as \"2026-12-01T10:00:00Z\"";

    private sealed record NumberRange(double Min, double Max, bool Integral, string Words);

    private static NumberRange? Range(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Byte => Whole(byte.MinValue, byte.MaxValue),
        TypeCode.Int16 => Whole(short.MinValue, short.MaxValue),
        TypeCode.UInt16 => Whole(ushort.MinValue, ushort.MaxValue),
        TypeCode.Int32 => Whole(int.MinValue, int.MaxValue),
        TypeCode.UInt32 => Whole(uint.MinValue, uint.MaxValue),
        TypeCode.Int64 => Whole(long.MinValue, long.MaxValue),
        TypeCode.Double or TypeCode.Single or TypeCode.Decimal => new NumberRange(double.MinValue, double.MaxValue, false, "a number"),
        _ => null,
    };

    private static NumberRange Whole(double min, double max) =>
        new(min, max, true, $"a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}");

    private static string Expected(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return "a text (in quotes)";
        if (type == typeof(bool))
            return "true or false";
        if (type.IsEnum)
            return $"one of {string.Join(", ", Enum.GetNames(type))}";
        if (Range(type) is { } range)
            return range.Words;
        if (IsTextual(type))
            return TextualWords(type);
        if (type == typeof(Security.SecretInput))
            return "an object {\"newValue\": \"…\"} (or {\"clear\": true})";
        if (typeof(IEnumerable).IsAssignableFrom(type))
            return options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Dictionary ? "an object" : "a list [ … ]";
        return "an object { … }";
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a text",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static void Add(FieldErrors errors, string path, string message) => errors.Add(path.Length == 0 ? "$" : path, message);
}
