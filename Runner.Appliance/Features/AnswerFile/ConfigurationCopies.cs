using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.AnswerFile;

/// <summary>
/// Keeps the configuration an import replaces, so that no import loses anything: the newest
/// <see cref="Retained"/> copies, their secrets sealed by the secret protector (never in clear).
/// </summary>
public sealed class ConfigurationCopies(IDbContextFactory<ApplianceDb> dbFactory, AnswerFileExporter exporter, ISecretProtector protector, TimeProvider clock)
{
    public const int Retained = 20;
    private const string Purpose = "configuration-copy/secrets";

    public Task<(AnswerFileDocument Document, Dictionary<string, string> Secrets)> CollectAsync(CancellationToken ct) => exporter.CollectAsync(ct);

    /// <summary>Adds a copy of <paramref name="current"/> to <paramref name="db"/> (saved with the caller's change), unless it is empty.</summary>
    public ConfigurationCopy? Keep(ApplianceDb db, (AnswerFileDocument Document, Dictionary<string, string> Secrets) current, string actor, string reason)
    {
        if (IsEmpty(current.Document))
            return null;
        var copy = new ConfigurationCopy
        {
            CreatedAt = clock.GetUtcNow(), CreatedBy = actor, Reason = reason, Summary = Summarize(current.Document),
            DocumentJson = JsonSerializer.Serialize(current.Document, AnswerFileJson.Options),
            SecretsCiphertext = current.Secrets.Count == 0 ? null : protector.Protect(Purpose, JsonSerializer.Serialize(current.Secrets)),
        };
        db.ConfigurationCopies.Add(copy);
        return copy;
    }

    public async Task PruneAsync(ApplianceDb db, CancellationToken ct)
    {
        var keep = await db.ConfigurationCopies.OrderByDescending(c => c.Id).Take(Retained).Select(c => c.Id).ToListAsync(ct);
        await db.ConfigurationCopies.Where(c => !keep.Contains(c.Id)).ExecuteDeleteAsync(ct);
    }

    public async Task<IReadOnlyList<ConfigurationCopyView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ConfigurationCopies.AsNoTracking().OrderByDescending(c => c.Id)
            .Select(c => new ConfigurationCopyView(c.Id, c.CreatedAt, c.CreatedBy, c.Reason, c.Summary)).ToListAsync(ct);
    }

    /// <summary>A copy's document and its secrets in clear (in memory only, for a restore).</summary>
    public async Task<(AnswerFileDocument Document, Dictionary<string, string> Secrets)?> OpenAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ConfigurationCopies.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is not { } copy)
            return null;
        var document = JsonSerializer.Deserialize<AnswerFileDocument>(copy.DocumentJson, AnswerFileJson.Options)!;
        var secrets = copy.SecretsCiphertext is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(Purpose, copy.SecretsCiphertext))!;
        return (document, secrets);
    }

    /// <summary>A document that configures nothing: no general settings, no item, no VM.</summary>
    public static bool IsEmpty(AnswerFileDocument d) =>
        d.General is null && d.Hypervisors.Count == 0 && d.Zones.Count == 0 && d.Databases.Count == 0 && d.Ldap.Count == 0 && d.Smtp.Count == 0
        && d.SmsProviders.Count == 0 && d.Monitoring.Count == 0 && d.Flows.Count == 0 && d.VirtualMachines.Count == 0;

    public static string Summarize(AnswerFileDocument d)
    {
        var services = d.Databases.Count + d.Ldap.Count + d.Smtp.Count + d.SmsProviders.Count + d.Monitoring.Count;
        var parts = new List<string>();
        if (d.General is { } general)
            parts.Add($"{general.EnvironmentPrefix}.{general.BaseDomain}");
        parts.AddRange(new[] { (d.Hypervisors.Count, "hypervisor"), (d.Zones.Count, "zone"), (services, "service"), (d.Flows.Count, "flow"), (d.VirtualMachines.Count, "VM") }
            .Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}{(p.Item1 == 1 ? "" : "s")}"));
        return parts.Count == 0 ? "empty" : string.Join(", ", parts);
    }
}
