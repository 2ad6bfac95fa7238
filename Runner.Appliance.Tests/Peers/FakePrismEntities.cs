using System.Globalization;
using System.Text.Json.Nodes;

namespace Runner.Appliance.Tests.Peers;

/// <summary>A cluster, subnet or image of <see cref="FakePrismCentral"/>; a subnet with a cluster is a VLAN subnet, without one an overlay.</summary>
public sealed record FakeEntity(string Name, string Uuid, FakeEntity? Cluster = null, bool IsPrismCentral = false)
{
    public static FakeEntity Named(string name, FakeEntity? cluster = null, bool isPrismCentral = false) =>
        new(name, Guid.NewGuid().ToString(), cluster, isPrismCentral);

    /// <summary>The entity as a v3 list returns it: status (observed), spec (intended), metadata.</summary>
    public JsonObject ToJson(string kind)
    {
        var status = new JsonObject { ["name"] = Name, ["state"] = "COMPLETE", ["resources"] = Resources(kind) };
        var spec = new JsonObject { ["name"] = Name, ["resources"] = Resources(kind) };
        if (Cluster is not null)
        {
            status["cluster_reference"] = Reference();
            spec["cluster_reference"] = Reference();
        }
        return new JsonObject
        {
            ["status"] = status,
            ["spec"] = spec,
            ["metadata"] = new JsonObject
            {
                ["uuid"] = Uuid, ["kind"] = kind, ["spec_version"] = 1, ["categories"] = new JsonObject(),
                ["creation_time"] = "2024-02-05T21:15:17Z", ["last_update_time"] = "2024-02-05T21:15:17Z",
            },
        };
    }

    private JsonObject Reference() => new() { ["kind"] = "cluster", ["name"] = Cluster!.Name, ["uuid"] = Cluster.Uuid };

    private JsonObject Resources(string kind) => kind switch
    {
        "cluster" => new JsonObject
        {
            ["config"] = new JsonObject
            {
                ["service_list"] = new JsonArray(IsPrismCentral ? "PRISM_CENTRAL" : "AOS"), ["redundancy_factor"] = 2, ["operation_mode"] = "NORMAL",
            },
        },
        "subnet" => Cluster is null
            ? new JsonObject { ["subnet_type"] = "OVERLAY", ["advanced_networking"] = true }
            : new JsonObject { ["subnet_type"] = "VLAN", ["vlan_id"] = 100 + (Math.Abs(Name.GetHashCode(StringComparison.Ordinal)) % 3000), ["vswitch_name"] = "br0" },
        _ => new JsonObject { ["image_type"] = "DISK_IMAGE", ["architecture"] = "X86_64" },
    };
}

/// <summary>A storage container of <see cref="FakePrismCentral"/>, served through the v3 groups API.</summary>
public sealed record FakeContainer(string Name, string Uuid, FakeEntity Cluster, long FreeBytes, long CapacityBytes)
{
    public static FakeContainer Named(string name, FakeEntity cluster, long freeBytes = 1L << 40, long capacityBytes = 4L << 40) =>
        new(name, Guid.NewGuid().ToString(), cluster, freeBytes, capacityBytes);

    /// <summary>One entity_results item: the asked attributes, each as values[{values[string], time}].</summary>
    public JsonObject ToJson(IEnumerable<string> attributes) => new()
    {
        ["entity_id"] = Uuid,
        ["data"] = new JsonArray([.. attributes.Select(a => (JsonNode)new JsonObject
        {
            ["name"] = a,
            ["values"] = Value(a) is { } value
                ? new JsonArray(new JsonObject { ["values"] = new JsonArray(value), ["time"] = 1724765716000000 })
                : new JsonArray(),
        })]),
    };

    private string? Value(string attribute) => attribute switch
    {
        "container_name" => Name,
        "cluster" => Cluster.Uuid,
        "storage.user_free_bytes" => FreeBytes.ToString(CultureInfo.InvariantCulture),
        "storage.user_capacity_bytes" => CapacityBytes.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
