using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// The fake's VMs and tasks, shaped as Prism Central v3 answers (nutanix.ansible module_utils/v3/prism
/// vms.py and tasks.py read them so): POST /vms answers 202 with status.execution_context.task_uuid;
/// GET /tasks/{uuid} gives status QUEUED, then RUNNING, then SUCCEEDED (or FAILED with error_detail),
/// one step per read, so that a poller is tested without any timing; the VM is listed from its
/// creation (state PENDING) and removed if its task fails. Like Prism, names are not unique: the fake
/// creates a second VM of the same name if asked, which is what a client must avoid.
/// </summary>
public sealed partial class FakePrismCentral
{
    private readonly ConcurrentDictionary<string, FakeTask> _tasks = new();

    /// <summary>Every VM created, in creation order, with the spec it was created with.</summary>
    public ConcurrentQueue<FakeVm> Vms { get; } = new();

    /// <summary>VM name → error_detail: the creation task of a VM of that name ends FAILED with it.</summary>
    public ConcurrentDictionary<string, string> FailCreation { get; } = new();

    private async Task CreateVmAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        var name = (string?)body?["spec"]?["name"];
        Calls.Enqueue("vms/create");
        if (body?["spec"] is not JsonObject spec || string.IsNullOrEmpty(name) || (string?)body["metadata"]?["kind"] != "vm")
        {
            await Error(context, StatusCodes.Status422UnprocessableEntity, "INVALID_ARGUMENT", "spec.name and metadata.kind 'vm' are required.");
            return;
        }
        if (NotAnInteger(spec) is { } field)
        {
            // Prism validates the spec against its schema: a number sent as a string is refused.
            await Error(context, StatusCodes.Status422UnprocessableEntity, "INVALID_ARGUMENT", $"{field}: not an integer.");
            return;
        }
        var vm = new FakeVm(name, Guid.NewGuid().ToString(), (JsonObject)spec.DeepClone());
        Vms.Enqueue(vm);
        var task = new FakeTask(Guid.NewGuid().ToString(), vm, FailCreation.TryGetValue(name, out var detail) ? detail : null);
        _tasks[task.Uuid] = task;
        await Json(context, StatusCodes.Status202Accepted, new JsonObject
        {
            ["api_version"] = "3.1",
            ["metadata"] = new JsonObject { ["kind"] = "vm", ["uuid"] = vm.Uuid, ["spec_version"] = 0 },
            ["spec"] = spec.DeepClone(),
            ["status"] = new JsonObject { ["state"] = "PENDING", ["execution_context"] = new JsonObject { ["task_uuid"] = task.Uuid } },
        });
    }

    private async Task TaskAsync(HttpContext context, string uuid)
    {
        Calls.Enqueue("tasks/get");
        if (!_tasks.TryGetValue(uuid, out var task))
        {
            await Error(context, StatusCodes.Status404NotFound, "ENTITY_NOT_FOUND", $"Task {uuid} is not found.");
            return;
        }
        await Json(context, StatusCodes.Status200OK, task.ReadAndAdvance());
    }

    private async Task ListVmsAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
        var offset = (int?)body["offset"] ?? 0;
        var length = Math.Min((int?)body["length"] ?? MaxPageLength, MaxPageLength);
        Calls.Enqueue($"vms/list@{offset}");
        var name = Filter((string?)body["filter"], "vm_name");
        var vms = Vms.Where(v => !v.Removed && (name is null || v.Name == name)).ToList();
        await Json(context, StatusCodes.Status200OK, new JsonObject
        {
            ["api_version"] = "3.1",
            ["metadata"] = new JsonObject { ["kind"] = "vm", ["total_matches"] = vms.Count, ["offset"] = offset, ["length"] = Math.Max(0, Math.Min(length, vms.Count - offset)) },
            ["entities"] = new JsonArray([.. vms.Skip(offset).Take(length).Select(v => v.ToJson())]),
        });
    }

    private static string? NotAnInteger(JsonObject spec)
    {
        var resources = spec["resources"];
        foreach (var field in new[] { "num_sockets", "num_vcpus_per_socket", "memory_size_mib" })
            if (resources?[field] is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.Number)
                return "spec.resources." + field;
        foreach (var disk in resources?["disk_list"] as JsonArray ?? [])
            if (disk?["disk_size_mib"] is not JsonValue size || size.GetValueKind() != System.Text.Json.JsonValueKind.Number)
                return "spec.resources.disk_list[].disk_size_mib";
        return null;
    }

    /// <summary>The value of a FIQL "attribute==value" filter on the one attribute this fake filters on; null when absent.</summary>
    private static string? Filter(string? filter, string attribute) =>
        filter is not null && filter.StartsWith(attribute + "==", StringComparison.Ordinal) ? filter[(attribute.Length + 2)..] : null;
}

/// <summary>A VM created on <see cref="FakePrismCentral"/>: its spec as sent, and its state.</summary>
public sealed class FakeVm(string name, string uuid, JsonObject spec)
{
    public string Name { get; } = name;

    public string Uuid { get; } = uuid;

    public JsonObject Spec { get; } = spec;

    public string State { get; internal set; } = "PENDING";

    internal bool Removed { get; set; }

    /// <summary>The cloud-init user_data, decoded.</summary>
    public string UserData => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)Spec["resources"]!["guest_customization"]!["cloud_init"]!["user_data"]!));

    public JsonObject ToJson()
    {
        var resources = (JsonObject)Spec["resources"]!.DeepClone();
        resources.Remove("guest_customization");
        return new JsonObject
        {
            ["status"] = new JsonObject { ["name"] = Name, ["state"] = State, ["cluster_reference"] = Spec["cluster_reference"]?.DeepClone(), ["resources"] = resources },
            ["spec"] = Spec.DeepClone(),
            ["metadata"] = new JsonObject { ["uuid"] = Uuid, ["kind"] = "vm", ["spec_version"] = 0, ["categories"] = new JsonObject() },
        };
    }
}

/// <summary>A v3 task: each read returns the current status, then moves it one step on.</summary>
internal sealed class FakeTask(string uuid, FakeVm vm, string? failure)
{
    private int _reads;

    public string Uuid { get; } = uuid;

    public JsonObject ReadAndAdvance()
    {
        var step = Interlocked.Increment(ref _reads);
        var status = step switch { 1 => "QUEUED", 2 => "RUNNING", _ => failure is null ? "SUCCEEDED" : "FAILED" };
        if (status == "SUCCEEDED")
            vm.State = "COMPLETE";
        if (status == "FAILED")
            vm.Removed = true;
        var answer = new JsonObject
        {
            ["uuid"] = Uuid, ["status"] = status, ["operation_type"] = "VmCreate", ["api_version"] = "3.1",
            ["percentage_complete"] = status switch { "QUEUED" => 0, "RUNNING" => 50, _ => 100 },
            ["progress_message"] = "VmCreate",
            ["entity_reference_list"] = new JsonArray(new JsonObject { ["kind"] = "vm", ["uuid"] = vm.Uuid }),
        };
        if (status == "FAILED")
            answer["error_detail"] = failure;
        return answer;
    }
}
