using System.Globalization;
using System.Text.Json;

namespace Runner.Appliance.Integrations.Prism;

/// <summary>One entity of a v3 list (cluster, subnet, image): its name, uuid and, for a subnet, its cluster.</summary>
public sealed record PrismEntity(string Name, string Uuid, string? ClusterUuid, string? ClusterName, bool IsPrismCentral)
{
    /// <summary>
    /// Reads entities[i] of a v3 list answer: the name is status.name (spec.name until the entity is
    /// complete), the uuid metadata.uuid, the cluster status/spec.cluster_reference (VLAN subnets only).
    /// Prism Central lists itself among the clusters, with service_list ["PRISM_CENTRAL"].
    /// </summary>
    public static PrismEntity From(JsonElement entity)
    {
        var status = Child(entity, "status");
        var spec = Child(entity, "spec");
        var name = Text(status, "name") ?? Text(spec, "name") ?? "";
        var uuid = Text(Child(entity, "metadata"), "uuid") ?? "";
        var cluster = Child(status, "cluster_reference") ?? Child(spec, "cluster_reference");
        var services = Child(Child(Child(status, "resources"), "config"), "service_list");
        var isPc = services is { ValueKind: JsonValueKind.Array } list
            && list.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.String && s.GetString() == "PRISM_CENTRAL");
        return new PrismEntity(name, uuid, Text(cluster, "uuid"), Text(cluster, "name"), isPc);
    }

    internal static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null ? child : null;

    internal static string? Text(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}

/// <summary>A storage container as the v3 groups API reports it, with its free space when reported.</summary>
public sealed record PrismContainer(string Name, string Uuid, string? ClusterUuid, long? FreeBytes, long? CapacityBytes)
{
    /// <summary>Reads group_results[0].entity_results[i]: entity_id and data[] of {name, values[{values[...]}]}, all as strings.</summary>
    public static PrismContainer From(JsonElement result)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (PrismEntity.Child(result, "data") is { ValueKind: JsonValueKind.Array } data)
            foreach (var field in data.EnumerateArray())
                if (PrismEntity.Text(field, "name") is { } name && First(field) is { } value)
                    values[name] = value;
        return new PrismContainer(values.GetValueOrDefault("container_name", ""), PrismEntity.Text(result, "entity_id") ?? "",
            values.GetValueOrDefault("cluster"), Bytes(values, "storage.user_free_bytes"), Bytes(values, "storage.user_capacity_bytes"));
    }

    private static string? First(JsonElement field) =>
        PrismEntity.Child(field, "values") is { ValueKind: JsonValueKind.Array } outer
        && outer.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } sample
        && PrismEntity.Child(sample, "values") is { ValueKind: JsonValueKind.Array } inner
        && inner.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.String } value
            ? value.GetString() : null;

    private static long? Bytes(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
}

public enum PrismRefusal { Login, Permission, Answer }

/// <summary>Prism Central answered, but not with what was asked: a refused login, a missing right, an unexpected body.</summary>
public sealed class PrismException(PrismRefusal refusal, string message) : Exception(message)
{
    public PrismRefusal Refusal { get; } = refusal;
}
