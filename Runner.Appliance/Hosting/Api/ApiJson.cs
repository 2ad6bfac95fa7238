using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Runner.Appliance.Hosting.Api;

/// <summary>How the API reads and writes JSON.</summary>
public static class ApiJson
{
    /// <summary>
    /// Enums by name only (a number would select an undefined value silently); null is refused where
    /// the type does not allow it when reading, while writing never fails on a null the model holds.
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        // A number is a number: "800" in quotes is refused like "abc", and the schema says so.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.RespectNullableAnnotations = true;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(WriteNullsFreely);
    }

    public static void WriteNullsFreely(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
            return;
        foreach (var property in type.Properties.Where(p => !p.PropertyType.IsValueType))
            property.IsGetNullable = true;
    }
}
