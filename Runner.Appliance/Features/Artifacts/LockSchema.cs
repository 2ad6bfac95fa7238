using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// <c>ansible/artifacts.lock.schema.json</c> (embedded in the binary, so a build machine with only the lock
/// file checks it too), applied to a lock read as JSON: every problem with its place in words
/// (<c>artifacts[2] 'rke2'.source.url</c>) and its line.
/// </summary>
public static class LockSchema
{
    public const string ResourceName = "artifacts.lock.schema.json";

    private static readonly Lazy<(JsonSchema Schema, JsonNode Document)> Loaded = new(() =>
    {
        using var stream = typeof(LockSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return (JsonSchema.FromText(text), JsonNode.Parse(text)!);
    });

    public static List<string> Check(YamlJson lockFile)
    {
        var (schema, document) = Loaded.Value;
        var instance = JsonSerializer.SerializeToElement(lockFile.Root);
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
            return [];
        var problems = new List<(int Line, string Text)>();
        foreach (var detail in results.Details ?? [])
        {
            // A failing "if" only picks which "then" applies: its errors are no problem of the lock.
            if (detail.Errors is null || detail.EvaluationPath.ToString().Split('/').Contains("if"))
                continue;
            var pointer = detail.InstanceLocation.ToString();
            foreach (var (keyword, message) in detail.Errors)
            {
                var line = lockFile.LineOf(pointer);
                var problem = $"{Place(lockFile, pointer)} (line {line}): {message}{Explain(document, detail.SchemaLocation, keyword, Value(lockFile, pointer))}";
                if (!problems.Contains((line, problem)))
                    problems.Add((line, problem));
            }
        }
        return [.. problems.OrderBy(p => p.Line).Select(p => p.Text)];
    }

    /// <summary>What the library's message leaves out: the values an enum accepts, the pattern and what it means, the quotes YAML needs.</summary>
    private static string Explain(JsonNode schema, Uri? location, string keyword, JsonNode? value) => keyword switch
    {
        "enum" or "const" => Allowed(schema, location, keyword),
        "pattern" when Subschema(schema, location, keyword) is { } rule => $" ({rule["pattern"]}{(rule["description"] is { } meaning ? $": {meaning}" : "")})",
        "type" when value is JsonValue v && v.GetValueKind() is JsonValueKind.Number => " (write it in quotes: YAML reads 1 or 2026 as a number)",
        _ => "",
    };

    private static JsonNode? Value(YamlJson lockFile, string pointer)
    {
        var node = lockFile.Root;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = node is JsonObject obj ? obj[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]
                : node is JsonArray array && int.TryParse(segment, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < array.Count ? array[i] : null;
        return node;
    }

    /// <summary>The subschema holding the keyword that failed: the result's absolute location is a JSON pointer into the schema, to the subschema or to the keyword.</summary>
    private static JsonObject? Subschema(JsonNode schema, Uri? location, string keyword)
    {
        if (location is null)
            return null;
        var segments = Uri.UnescapeDataString(location.Fragment.TrimStart('#')).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && segments[^1] == keyword)
            segments = segments[..^1];
        JsonNode? node = schema;
        foreach (var segment in segments)
            node = node is JsonObject obj ? obj[segment] : node is JsonArray array && int.TryParse(segment, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < array.Count ? array[i] : null;
        return node as JsonObject;
    }

    /// <summary>"/artifacts/2/source/url" → "artifacts[2] 'rke2'.source.url", the artifact named when it has a name.</summary>
    private static string Place(YamlJson lockFile, string pointer)
    {
        var segments = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        if (segments.Length == 0)
            return "the lock";
        var place = new System.Text.StringBuilder();
        JsonNode? node = lockFile.Root;
        foreach (var segment in segments)
        {
            if (node is JsonArray array && int.TryParse(segment, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                node = index < array.Count ? array[index] : null;
                place.Append('[').Append(segment).Append(']');
                if (node is JsonObject item && item["name"] is JsonValue name && name.TryGetValue<string>(out var text))
                    place.Append(" '").Append(text).Append('\'');
            }
            else
            {
                node = node is JsonObject obj ? obj[segment] : null;
                place.Append(place.Length == 0 ? "" : ".").Append(segment);
            }
        }
        return place.ToString();
    }

    /// <summary>For an enum or const failure, the values the schema accepts there (the library's message does not list them).</summary>
    private static string Allowed(JsonNode schema, Uri? location, string keyword) => Subschema(schema, location, keyword)?[keyword] switch
    {
        JsonArray values => $" (one of: {string.Join(", ", values.Select(v => v?.ToJsonString()))})",
        JsonValue value => $" (expected {value.ToJsonString()})",
        _ => "",
    };
}
