using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.AnswerFile;

/// <summary>
/// How the answer file is written: camelCase, enums by name, and without what belongs to this
/// appliance rather than to the configuration (ids, versions, who changed what, "is set" flags,
/// write-only secret inputs: those travel in the encrypted secrets block only).
/// </summary>
public static class AnswerFileJson
{
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal) { "id", "version", "updatedBy", "updatedAt", "certificateSummary", "sshPublicKey" };

    public static JsonSerializerOptions Options { get; } = Create();

    public static JsonNode Schema()
    {
        var schema = Options.GetJsonSchemaAsNode(typeof(AnswerFileDocument), new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = TextRule });
        var root = schema.AsObject();
        root.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
        root.Insert(1, "title", "Runner Appliance answer file");
        root.Insert(2, "description", "The whole deployment configuration. Secrets travel only in 'secrets', encrypted with a passphrase (AES-256-GCM, PBKDF2-SHA256).");
        return schema;
    }

    /// <summary>Each text field's limit and character rule (<see cref="Validation.TextRules"/>), as the OpenAPI document has them.</summary>
    private static JsonNode TextRule(JsonSchemaExporterContext context, JsonNode node)
    {
        if (node is not JsonObject schema || context.TypeInfo.Type != typeof(string))
            return node;
        var rule = Validation.TextRules.RuleOf(context.PropertyInfo?.AttributeProvider);
        schema["maxLength"] = rule.MaxLength;
        schema["pattern"] = rule.MultiLine ? Validation.TextRules.MultiLinePattern : Validation.TextRules.SingleLinePattern;
        return schema;
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropApplianceFields } },
        };
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    private static void DropApplianceFields(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type == typeof(EncryptedSecrets))
            return;
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            var property = type.Properties[i];
            if (Bookkeeping.Contains(property.Name) || property.PropertyType == typeof(SecretInput)
                || (property.PropertyType == typeof(bool) && property.Name.EndsWith("Set", StringComparison.Ordinal)))
                type.Properties.RemoveAt(i);
        }
    }

    /// <summary>Names (camelCase) of the write-only secret fields of a DTO type.</summary>
    public static IReadOnlyList<string> SecretFields(Type dto) =>
        [.. dto.GetProperties().Where(p => p.PropertyType == typeof(SecretInput)).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))];

    public static void SetSecret(object dto, string field, string value) =>
        dto.GetType().GetProperties().Single(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == field).SetValue(dto, new SecretInput(value));
}
