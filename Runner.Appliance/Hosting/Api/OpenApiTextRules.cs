using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Hosting.Api;

/// <summary>Writes each text field's <see cref="TextRules"/> into the OpenAPI schema: maxLength and the character pattern.</summary>
internal sealed class OpenApiTextRules : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not { } property || schema.Type is not { } type)
            return Task.CompletedTask;
        var element = property.PropertyType == typeof(string) ? schema
            : type.HasFlag(JsonSchemaType.Array) && schema.Items is OpenApiSchema items && items.Type?.HasFlag(JsonSchemaType.String) == true ? items
            : null;
        if (element is null || !element.Type!.Value.HasFlag(JsonSchemaType.String) || element.Format is not null)
            return Task.CompletedTask;
        var rule = TextRules.RuleOf(property.AttributeProvider);
        element.MaxLength ??= rule.MaxLength;
        element.Pattern ??= rule.MultiLine ? TextRules.MultiLinePattern : TextRules.SingleLinePattern;
        return Task.CompletedTask;
    }
}
