using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Credentials;

/// <summary>What roles published, stored (secret ones through the protector) and handed to the roles after them as <c>runner_outputs.&lt;role&gt;.&lt;key&gt;</c>.</summary>
public sealed class RoleOutputs(IDbContextFactory<ApplianceDb> dbFactory, ISecretProtector protector, CatalogFile catalog, TimeProvider clock)
{
    /// <summary>Every stored output as the roles read it, and the strings among the secret ones (for the masker).</summary>
    public async Task<(JsonObject Outputs, IReadOnlyList<string> SecretValues)> LoadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.RoleOutputs.AsNoTracking().OrderBy(o => o.Role).ThenBy(o => o.Key).ToListAsync(ct);
        var outputs = new JsonObject();
        var secrets = new List<string>();
        foreach (var row in rows)
        {
            var value = JsonNode.Parse(Reveal(row));
            if (outputs[row.Role] is not JsonObject role)
                outputs[row.Role] = role = new JsonObject();
            role[row.Key] = value;
            if (row.Secret)
                secrets.AddRange(Strings(value));
        }
        return (outputs, secrets);
    }

    /// <summary>
    /// Stores what <paramref name="role"/> published in run <paramref name="runId"/>, replacing its earlier values; returns the
    /// strings of the secret ones. An output the catalog does not declare, or declares secret, is kept as a secret.
    /// </summary>
    public async Task<IReadOnlyList<string>> StoreAsync(int runId, string role, JsonObject published, CancellationToken ct)
    {
        var declared = catalog.Catalog.Role(role)?.Outputs.ToDictionary(o => o.Name) ?? [];
        var secrets = new List<string>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var (key, value) in published)
        {
            var json = value?.ToJsonString() ?? "null";
            var secret = !declared.TryGetValue(key, out var output) || output.Secret;
            var row = await db.RoleOutputs.FindAsync([role, key], ct);
            if (row is null)
                db.RoleOutputs.Add(row = new RoleOutput { Role = role, Key = key });
            (row.Secret, row.RunId, row.UpdatedAt) = (secret, runId, clock.GetUtcNow());
            row.Value = secret ? null : json;
            row.Ciphertext = secret ? protector.Protect(Purpose(role, key), json) : null;
            if (secret)
                secrets.AddRange(Strings(value));
        }
        await db.SaveChangesAsync(ct);
        return secrets;
    }

    /// <summary>The stored JSON of one output (decrypted when secret).</summary>
    public string Reveal(RoleOutput row) => row.Secret ? protector.Unprotect(Purpose(row.Role, row.Key), row.Ciphertext!) : row.Value ?? "null";

    /// <summary>Every string in a value (a key list, a kubeconfig, an object of tokens), for masking; a number or a flag is no secret.</summary>
    public static IEnumerable<string> Strings(JsonNode? value) => value switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };

    private static string Purpose(string role, string key) => $"role-output/{role}/{key}";
}
