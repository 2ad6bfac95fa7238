using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Zones;

/// <summary>Network zones of the deployment: list, create, update (optimistic concurrency), delete.</summary>
public sealed class ZoneService(IDbContextFactory<ApplianceDb> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<ZoneDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zones = await db.Zones.AsNoTracking().OrderBy(z => z.Id).ToListAsync(ct);
        return [.. zones.Select(ZoneDto.From)];
    }

    public async Task<ZoneDto?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zone = await db.Zones.AsNoTracking().SingleOrDefaultAsync(z => z.Id == id, ct);
        return zone is null ? null : ZoneDto.From(zone);
    }

    /// <summary>Creates a zone; returns its id, or the problems and nothing written.</summary>
    public async Task<(Outcome Outcome, int Id)> CreateAsync(ZoneDto input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        input.Id = 0;
        var errors = ZoneValidator.Validate(input, await OthersAsync(db, 0, ct));
        if (!errors.IsEmpty)
            return (Outcome.Invalid(errors), 0);
        var zone = new Zone();
        input.ApplyTo(zone);
        Stamp(zone, actor);
        db.Zones.Add(zone);
        await db.SaveChangesAsync(ct);
        return (Outcome.Ok, zone.Id);
    }

    public async Task<Outcome> UpdateAsync(int id, ZoneDto input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zone = await db.Zones.SingleOrDefaultAsync(z => z.Id == id, ct);
        if (zone is null)
            return Outcome.NotFound($"There is no zone with id {id}.");
        if (zone.Version != input.Version)
            return Changed(zone);
        input.Id = id;
        var errors = ZoneValidator.Validate(input, await OthersAsync(db, id, ct));
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);
        input.ApplyTo(zone);
        Stamp(zone, actor);
        try
        {
            await db.SaveChangesAsync(ct);
            return Outcome.Ok;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Conflict($"Zone {zone.Name} was changed by someone else while you edited it; reload before saving.");
        }
    }

    public async Task<Outcome> DeleteAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deleted = await db.Zones.Where(z => z.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Outcome.NotFound($"There is no zone with id {id}.") : Outcome.Ok;
    }

    private static async Task<List<ZoneDto>> OthersAsync(ApplianceDb db, int id, CancellationToken ct) =>
        [.. (await db.Zones.AsNoTracking().Where(z => z.Id != id).ToListAsync(ct)).Select(ZoneDto.From)];

    private void Stamp(Zone zone, string actor)
    {
        zone.Version++;
        zone.UpdatedBy = actor;
        zone.UpdatedAt = clock.GetUtcNow();
    }

    private static Outcome Changed(Zone zone) =>
        Outcome.Conflict($"Zone {zone.Name} was changed by {zone.UpdatedBy ?? "another user"} at {zone.UpdatedAt:yyyy-MM-dd HH:mm} UTC; reload to see their version before saving.");
}
