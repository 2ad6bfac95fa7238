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
        var problems = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            // A failing "if" only picks which "then" applies: its errors are no problem of the lock.
            if (detail.Errors is null || detail.EvaluationPath.ToString().Split('/').Contains("if"))
                continue;
            var pointer = detail.InstanceLocation.ToString();
            foreach (var (keyword, message) in detail.Errors)
            {
                var problem = $"{Place(lockFile, pointer)} (line {lockFile.LineOf(pointer)}): {message}{Allowed(document, detail.SchemaLocation, keyword)}";
                if (!problems.Contains(problem))
                    problems.Add(problem);
            }
        }
        return problems;
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
    private static string Allowed(JsonNode schema, Uri? location, string keyword)
    {
        if (keyword is not ("enum" or "const") || location is null)
            return "";
        var fragment = Uri.UnescapeDataString(location.Fragment.TrimStart('#'));
        JsonNode? node = schema;
        foreach (var segment in fragment.Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = node is JsonObject obj ? obj[segment] : node is JsonArray array && int.TryParse(segment, out var i) && i < array.Count ? array[i] : null;
        if (node is JsonObject subschema && subschema[keyword] is { } allowed)
            node = allowed;
        return node switch
        {
            JsonArray values => $" (one of: {string.Join(", ", values.Select(v => v?.ToJsonString()))})",
            JsonValue value => $" (expected {value.ToJsonString()})",
            _ => "",
        };
    }
}
