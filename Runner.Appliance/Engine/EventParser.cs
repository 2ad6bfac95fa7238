using Runner.Appliance.Security;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Runner.Appliance.Engine;

/// <summary>What a role run's output said, beyond each event: the hosts that failed or could not be reached.</summary>
public sealed class RoleOutcome
{
    public List<string> FailedHosts { get; } = [];

    public List<string> UnreachableHosts { get; } = [];

    public string? LastError { get; set; }

    /// <summary>What the role published with set_stats under <c>runner_outputs</c> (null: nothing).</summary>
    public JsonObject? Outputs { get; set; }
}

/// <summary>
/// Turns one output line of ansible-playbook (a JSON event from the jsonevents callback, or a raw
/// stderr line) into a stored event with a readable line. Secrets are masked before parsing.
/// </summary>
public static class EventParser
{
    public static RunEvent Parse(string line, bool fromStderr, SecretMasker masker, RoleOutcome outcome, DateTimeOffset now)
    {
        line = masker.Apply(line);
        if (fromStderr || line.Length == 0 || line[0] != '{')
            return Raw(line, fromStderr, outcome, now);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return Raw(line, fromStderr, outcome, now);
        }
        using (document)
        {
            var root = document.RootElement;
            var type = Str(root, "event") ?? "unknown";
            var e = new RunEvent
            {
                Type = type,
                Seq = root.TryGetProperty("seq", out var seq) && seq.TryGetInt32(out var s) ? s : 0,
                At = root.TryGetProperty("ts", out var ts) && DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : now,
                Host = Str(root, "host"),
                Task = Str(root, "task"),
                Status = Str(root, "status"),
                Json = line,
            };
            e.Text = Describe(root, e);
            if (type == "playbook_on_stats")
            {
                outcome.FailedHosts.AddRange(Strings(root, "failed_hosts"));
                outcome.UnreachableHosts.AddRange(Strings(root, "unreachable_hosts"));
                if (root.TryGetProperty("global_custom_stats", out var stats) && stats.ValueKind == JsonValueKind.Object
                    && stats.TryGetProperty("runner_outputs", out var published) && published.ValueKind == JsonValueKind.Object)
                    outcome.Outputs = JsonNode.Parse(published.GetRawText()) as JsonObject;
                e.Json = WithoutStatsData(line);
            }
            else if (e.Status is "failed" or "unreachable" or "async_failed")
                outcome.LastError = $"task '{e.Task}': {FirstLine(Str(root, "msg") ?? Str(root, "stderr") ?? e.Status ?? "")}";
            return e;
        }
    }

    /// <summary>
    /// The stats event as stored: set_stats data (runner_outputs among it: a root token, unseal keys, values the
    /// masker cannot know before they appear) replaced by the names of its keys.
    /// </summary>
    private static string WithoutStatsData(string line)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        if (node["global_custom_stats"]?["runner_outputs"] is JsonObject published)
            node["outputs"] = Keys(published);
        foreach (var name in new[] { "custom_stats", "global_custom_stats" })
            if (node[name] is JsonObject data)
                node[name] = Keys(data);
        return node.ToJsonString();
    }

    private static JsonArray Keys(JsonObject data) => new([.. data.Select(p => (JsonNode?)JsonValue.Create(p.Key))]);

    private static RunEvent Raw(string line, bool fromStderr, RoleOutcome outcome, DateTimeOffset now)
    {
        if (fromStderr && line.StartsWith("ERROR!", StringComparison.Ordinal))
            outcome.LastError = line;
        return new RunEvent { Type = fromStderr ? "stderr" : "stdout", At = now, Text = line, Json = JsonSerializer.Serialize(new { @event = fromStderr ? "stderr" : "stdout", line }) };
    }

    private static string Describe(JsonElement root, RunEvent e)
    {
        switch (e.Type)
        {
            case "playbook_on_play_start":
                return $"PLAY [{Str(root, "play")}]";
            case "playbook_on_task_start":
                return $"TASK [{e.Task}]";
            case "playbook_on_handler_task_start":
                return $"RUNNING HANDLER [{e.Task}]";
            case "playbook_on_include":
                return $"included: {Path.GetFileName(Str(root, "file"))} for {string.Join(", ", Strings(root, "hosts"))}";
            case "runner_on_start":
                return $"started: [{e.Host}] {e.Task}";
            case "playbook_on_stats":
                var recap = new StringBuilder("RECAP");
                if (root.TryGetProperty("stats", out var stats) && stats.ValueKind == JsonValueKind.Object)
                    foreach (var host in stats.EnumerateObject())
                        recap.Append(CultureInfo.InvariantCulture, $" {host.Name}: ok={Num(host.Value, "ok")} changed={Num(host.Value, "changed")} unreachable={Num(host.Value, "unreachable")} failed={Num(host.Value, "failures")} skipped={Num(host.Value, "skipped")} rescued={Num(host.Value, "rescued")} ignored={Num(host.Value, "ignored")};");
                return recap.ToString().TrimEnd(';');
            case "playbook_on_start":
                return $"PLAYBOOK {Path.GetFileName(Str(root, "playbook"))}";
        }
        var status = e.Status ?? e.Type;
        var item = Str(root, "item") is { } i ? $" (item={i})" : "";
        var delegated = Str(root, "delegated_to") is { } to ? $" -> {to}" : "";
        var handler = Flag(root, "handler") ? " (handler)" : "";
        var detail = status switch
        {
            "diff" => "what changed is in the full output",
            "async_poll" => $"job {Str(root, "ansible_job_id")} still running",
            _ => Str(root, "msg") ?? Str(root, "stderr") ?? Str(root, "stdout") ?? Str(root, "skip_reason"),
        };
        // Ansible's own words: an ignored failure is "...ignoring", a rescued one runs its block's rescue.
        var label = status switch
        {
            "failed" => "FAILED", "unreachable" => "UNREACHABLE", "ignored" => "FAILED ...ignoring", "rescued" => "FAILED, rescued",
            "diff" => "DIFF", "async_poll" => "ASYNC POLL", "async_ok" => "ASYNC OK", "async_failed" => "ASYNC FAILED", _ => status,
        };
        return $"{label}: [{e.Host}{delegated}] {e.Task}{item}{handler}{(string.IsNullOrWhiteSpace(detail) ? "" : $" => {FirstLine(detail)}")}";
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var first = end < 0 ? text : text[..end];
        return first.Length > 500 ? first[..500] + "…" : first;
    }

    private static string? Str(JsonElement root, string name) => root.TryGetProperty(name, out var value) ? value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    } : null;

    private static bool Flag(JsonElement root, string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string Num(JsonElement host, string name) => host.TryGetProperty(name, out var v) ? v.GetRawText() : "0";

    private static IEnumerable<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(h => h.GetString() ?? "") : [];
}
