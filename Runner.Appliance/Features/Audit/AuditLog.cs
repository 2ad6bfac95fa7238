using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Audit;

public sealed record AuditRecord(DateTimeOffset At, string Actor, string Subject, string Item, string Action, IReadOnlyList<string> Fields);

/// <summary>
/// The audit trail. A change adds its entry to the same context (and so the same transaction)
/// as the change itself: no change without its entry, no entry without its change.
/// </summary>
public sealed class AuditLog(IDbContextFactory<ApplianceDb> dbFactory, TimeProvider clock)
{
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.OrdinalIgnoreCase) { "id", "version", "updatedBy", "updatedAt" };

    public void Append(ApplianceDb db, string actor, string subject, string item, string action, IReadOnlyList<string> fields) =>
        db.AuditEntries.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Subject = subject, Item = item, Action = action, Fields = [.. fields] });

    public async Task RecordAsync(string actor, string subject, string item, string action, IReadOnlyList<string> fields, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Append(db, actor, subject, item, action, fields);
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<AuditRecord>> LatestAsync(int count = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).Take(count).ToListAsync(ct);
        return [.. entries.Select(e => new AuditRecord(e.At, e.Actor, e.Subject, e.Item, e.Action, e.Fields))];
    }

    /// <summary>
    /// Names of the fields that differ between two versions of a DTO, plus every write-only
    /// secret the input replaces or clears. Values are compared, never kept.
    /// </summary>
    public static IReadOnlyList<string> ChangedFields<T>(T? before, T after, object? input = null) where T : class
    {
        var old = before is null ? default : JsonSerializer.SerializeToElement(before, JsonSerializerOptions.Web);
        var now = JsonSerializer.SerializeToElement(after, JsonSerializerOptions.Web);
        var changed = new List<string>();
        foreach (var property in now.EnumerateObject())
        {
            if (Bookkeeping.Contains(property.Name) || property.Value.ValueKind == JsonValueKind.Null && before is null)
                continue;
            if (before is null || !old.TryGetProperty(property.Name, out var previous) || previous.GetRawText() != property.Value.GetRawText())
                changed.Add(property.Name);
        }
        changed.AddRange(SecretsTouched(input ?? after).Where(name => !changed.Contains(name)));
        return changed;
    }

    private static IEnumerable<string> SecretsTouched(object input) =>
        input.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(SecretInput) && p.GetValue(input) is SecretInput { } s && (s.Clear || !string.IsNullOrEmpty(s.NewValue)))
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
}
