using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Configuration;

/// <summary>Reads and saves the deployment configuration's general settings.</summary>
public sealed class ConfigurationService(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock)
{
    public async Task<GeneralSettingsDto> GetGeneralAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.GeneralSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        return row is null ? new GeneralSettingsDto() : ToDto(row);
    }

    /// <summary>
    /// Validates and saves. Nothing is written when a field is invalid, or when someone else
    /// saved since <see cref="GeneralSettingsDto.Version"/> was read.
    /// </summary>
    public async Task<Outcome> SaveGeneralAsync(GeneralSettingsDto input, string actor, CancellationToken ct = default)
    {
        var errors = TextRules.Check(input, GeneralSettingsValidator.Validate(input));
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.GeneralSettings.SingleOrDefaultAsync(ct);
        if (row is null)
            db.GeneralSettings.Add(row = new GeneralSettings());
        else if (row.Version != input.Version)
            return Changed(row);

        var before = row.Version == 0 ? null : ToDto(row);
        Apply(input, row, actor);
        audit.Append(db, actor, "products and sizing", "general settings", before is null ? "created" : "updated", AuditLog.ChangedFields(before, ToDto(row)));
        try
        {
            await db.SaveChangesAsync(ct);
            return Outcome.Ok;
        }
        catch (DbUpdateException)
        {
            // Lost the race between the version check and the write (concurrency token or first insert).
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            var current = await fresh.GeneralSettings.AsNoTracking().SingleAsync(ct);
            return Changed(current);
        }
    }

    /// <summary>Replaces the settings inside <paramref name="db"/>'s transaction (validated answer-file import).</summary>
    public async Task ReplaceAsync(ApplianceDb db, GeneralSettingsDto? input, string actor, CancellationToken ct)
    {
        db.GeneralSettings.RemoveRange(await db.GeneralSettings.ToListAsync(ct));
        if (input is null)
            return;
        var row = new GeneralSettings();
        Apply(input, row, actor);
        db.GeneralSettings.Add(row);
    }

    private void Apply(GeneralSettingsDto input, GeneralSettings row, string actor)
    {
        row.EnvironmentPrefix = input.EnvironmentPrefix!.Trim();
        row.BaseDomain = input.BaseDomain!.Trim();
        row.ConcurrentUsers = input.ConcurrentUsers;
        row.Products = [.. input.Products!];
        row.Version++;
        row.UpdatedBy = actor;
        row.UpdatedAt = clock.GetUtcNow();
    }

    private static GeneralSettingsDto ToDto(GeneralSettings row) => new()
    {
        EnvironmentPrefix = row.EnvironmentPrefix,
        BaseDomain = row.BaseDomain,
        ConcurrentUsers = row.ConcurrentUsers,
        Products = [.. row.Products],
        Version = row.Version,
        UpdatedBy = row.UpdatedBy,
        UpdatedAt = row.UpdatedAt,
    };

    private static Outcome Changed(GeneralSettings current) =>
        Outcome.Conflict($"These settings were changed by {current.UpdatedBy ?? "another user"} at {current.UpdatedAt:yyyy-MM-dd HH:mm} UTC; reload to see their version before saving.");
}
