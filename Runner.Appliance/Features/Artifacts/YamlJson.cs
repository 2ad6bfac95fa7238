using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// A YAML document as the JSON its schema checks, with the line of every value (keyed by JSON pointer),
/// so that a schema error names the line to fix. Plain scalars are typed as the lock model reads them:
/// null, true/false and whole numbers; everything else, floats included, stays text (a version 1.10
/// stays "1.10", as YamlDotNet gives it to a string property).
/// </summary>
public sealed partial class YamlJson
{
    private YamlJson(JsonNode? root, IReadOnlyDictionary<string, int> lines)
    {
        Root = root;
        Lines = lines;
    }

    public JsonNode? Root { get; }

    /// <summary>JSON pointer ("/artifacts/0/sha256") → 1-based line.</summary>
    public IReadOnlyDictionary<string, int> Lines { get; }

    /// <summary>Reads the first document; throws <see cref="InvalidDataException"/> naming the line where it breaks.</summary>
    public static YamlJson Read(TextReader reader, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: not valid YAML at line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e);
        }
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var root = stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, "", lines);
        return new YamlJson(root, lines);
    }

    /// <summary>The line of a pointer, or of its nearest parent that has one.</summary>
    public int LineOf(string pointer)
    {
        for (var p = pointer; ; p = p[..p.LastIndexOf('/')])
        {
            if (Lines.TryGetValue(p, out var line))
                return line;
            if (p.Length == 0)
                return 1;
        }
    }

    private static JsonNode? Convert(YamlNode node, string pointer, Dictionary<string, int> lines)
    {
        lines[pointer] = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
                    if (obj.ContainsKey(name))
                        throw new InvalidDataException($"line {key.Start.Line}: '{name}' is given twice.");
                    obj[name] = Convert(value, $"{pointer}/{Escape(name)}", lines);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                    array.Add(Convert(sequence.Children[i], $"{pointer}/{i}", lines));
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (WholeNumber().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            return JsonValue.Create(number);
        return JsonValue.Create(text);
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex WholeNumber();
}
