using Runner.Appliance.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Artifacts;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Credentials;

namespace Runner.Appliance.Engine;

/// <summary>
/// What every role receives, with no per-role glue: the inventory, the whole configuration as vars
/// (snake_case, as the answer file has it), the artifacts present in the store (runner_artifacts.rke2.url),
/// the secrets keyed by item (runner_secrets.hypervisors.vc.password) with the generated ones
/// (runner_secrets.generated.registry_password), what earlier roles published (runner_outputs.install-vault.root_token),
/// and the masker that hides every secret among them in everything the run stores or shows.
/// </summary>
public sealed record RunInputs(string Inventory, JsonObject Vars, JsonObject Secrets, JsonObject Outputs, IReadOnlyList<string> SecretValues, string Snapshot)
{
    public SecretMasker Masker { get; } = new(SecretValues);

    /// <summary>The vars as recorded with the role run: secrets masked (they are not in the vars anyway).</summary>
    public string RecordedVars => Masker.Apply(Vars.ToJsonString());

    /// <summary>These inputs with what <paramref name="role"/> just published, for the roles after it in the same pass.</summary>
    public RunInputs WithOutputs(string role, JsonObject published, IReadOnlyList<string> secretValues)
    {
        var outputs = (JsonObject)Outputs.DeepClone();
        outputs[role] = published.DeepClone();
        // A new record, not `with`: `with` would copy the masker built for the old secrets.
        return new RunInputs(Inventory, Vars, Secrets, outputs, [.. SecretValues, .. secretValues], Snapshot);
    }
}

public sealed class RunInputsBuilder(AnswerFileExporter configuration, InventoryExporter inventory, ArtifactRunVars artifacts,
    GeneratedSecrets generated, RoleOutputs outputs)
{
    public async Task<RunInputs> BuildAsync(CancellationToken ct = default)
    {
        var (document, secrets) = await configuration.CollectAsync(ct);
        var snapshot = JsonSerializer.Serialize(document, AnswerFileJson.Options);
        var vars = (JsonObject)SnakeCase(JsonNode.Parse(snapshot)!);
        vars.Remove("schema_version");
        vars["runner_artifacts"] = await artifacts.BuildAsync(ct);
        var secretTree = new JsonObject();
        foreach (var (path, value) in secrets)
            Place(secretTree, vars, path, value);
        var made = await generated.EnsureAllAsync(ct);
        secretTree["generated"] = new JsonObject(made.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value)));
        var (published, secretOutputs) = await outputs.LoadAsync(ct);
        return new RunInputs(await inventory.AnsibleInventoryAsync(ct), vars, secretTree, published, [.. secrets.Values, .. made.Values, .. secretOutputs], snapshot);
    }

    /// <summary>"hypervisors[0].password" → runner_secrets.hypervisors.&lt;alias&gt;.password; "security.sshPrivateKey" → runner_secrets.security.ssh_private_key.</summary>
    private static void Place(JsonObject tree, JsonObject vars, string path, string value)
    {
        var dot = path.LastIndexOf('.');
        var (owner, field) = (path[..dot], JsonNamingPolicy.SnakeCaseLower.ConvertName(path[(dot + 1)..]));
        var open = owner.IndexOf('[');
        var collection = JsonNamingPolicy.SnakeCaseLower.ConvertName(open < 0 ? owner : owner[..open]);
        if (tree[collection] is not JsonObject items)
            tree[collection] = items = new JsonObject();
        if (open < 0)
        {
            items[field] = value;
            return;
        }
        var index = int.Parse(owner[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
        var item = vars[collection]?[index];
        var key = item?["alias"]?.GetValue<string>() ?? item?["name"]?.GetValue<string>() ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (items[key] is not JsonObject entry)
            items[key] = entry = new JsonObject();
        entry[field] = value;
    }

    private static JsonNode SnakeCase(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Key), p.Value is null ? null : SnakeCase(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(i => i is null ? null : SnakeCase(i))]),
        _ => node.DeepClone(),
    };
}
