using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Configuration.Collections;

/// <summary>
/// List, create, update and delete for one kind of configuration item (zones, hypervisors,
/// databases, …). Validation runs against the other items before anything is written; an update
/// must name the version it was based on; every change is audited (field names, never values).
/// </summary>
public abstract class ConfigCollectionService<TEntity, TDto>(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock)
    where TEntity : class, IConfigEntity, new()
    where TDto : class, IConfigDto
{
    /// <summary>How people call one item, e.g. "zone".</summary>
    public abstract string Noun { get; }

    public abstract TDto ToDto(TEntity entity);

    /// <summary>
    /// Every problem of <paramref name="input"/>, given the other items of the collection and, for
    /// an update, the stored item (e.g. to know whether a secret is already set).
    /// </summary>
    public abstract FieldErrors Validate(TDto input, IReadOnlyList<TDto> others, TEntity? current = null);

    /// <summary>Writes the validated input onto the entity (secrets through the protector).</summary>
    protected abstract void Apply(TDto input, TEntity entity);

    /// <summary>The item's name in messages and the audit trail.</summary>
    protected abstract string NameOf(TEntity entity);

    /// <summary>The item's secrets in clear, keyed by field name (for an answer file sealed with a passphrase).</summary>
    protected virtual IReadOnlyDictionary<string, string> RevealSecrets(TEntity entity) => new Dictionary<string, string>();

    /// <summary>Every item with its secrets in clear, in a stable order: the answer file's export.</summary>
    public async Task<IReadOnlyList<(TDto Item, IReadOnlyDictionary<string, string> Secrets)>> ExportAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = await db.Set<TEntity>().AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);
        return [.. items.Select(e => (ToDto(e), RevealSecrets(e)))];
    }

    /// <summary>Replaces the whole collection inside <paramref name="db"/>'s transaction (validated answer-file import).</summary>
    public async Task ReplaceAllAsync(ApplianceDb db, IEnumerable<TDto> items, string actor, CancellationToken ct)
    {
        db.Set<TEntity>().RemoveRange(await db.Set<TEntity>().ToListAsync(ct));
        foreach (var item in items)
        {
            var entity = new TEntity();
            Apply(item, entity);
            Stamp(entity, actor);
            db.Set<TEntity>().Add(entity);
        }
    }

    /// <summary>Loads what validation needs beyond the collection itself (e.g. the zones a flow refers to).</summary>
    protected virtual Task PrepareValidationAsync(ApplianceDb db, CancellationToken ct) => Task.CompletedTask;

    public async Task<IReadOnlyList<TDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = await db.Set<TEntity>().AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);
        return [.. items.Select(ToDto)];
    }

    public async Task<TDto?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.Set<TEntity>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        return entity is null ? null : ToDto(entity);
    }

    /// <summary>Every stored item checked again against today's rules: what the Review step lists.</summary>
    public async Task<IReadOnlyList<ItemReview<TDto>>> ReviewAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await PrepareValidationAsync(db, ct);
        var entities = await db.Set<TEntity>().AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);
        var dtos = entities.Select(ToDto).ToList();
        return [.. entities.Select((entity, i) => new ItemReview<TDto>(dtos[i], NameOf(entity),
            Validate(dtos[i], [.. dtos.Where((_, j) => j != i)], entity)))];
    }

    public async Task<(Outcome Outcome, int Id)> CreateAsync(TDto input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        input.Id = 0;
        await PrepareValidationAsync(db, ct);
        var errors = TextRules.Check(input, Validate(input, await OthersAsync(db, 0, ct)));
        if (!errors.IsEmpty)
            return (Outcome.Invalid(errors), 0);
        var entity = new TEntity();
        Apply(input, entity);
        Stamp(entity, actor);
        db.Set<TEntity>().Add(entity);
        audit.Append(db, actor, Noun, NameOf(entity), "created", AuditLog.ChangedFields(null, ToDto(entity), input));
        await db.SaveChangesAsync(ct);
        return (Outcome.Ok, entity.Id);
    }

    public async Task<Outcome> UpdateAsync(int id, TDto input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.Set<TEntity>().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (entity is null)
            return NotFound(id);
        if (entity.Version != input.Version)
            return Changed(entity, entity.UpdatedBy, entity.UpdatedAt);
        input.Id = id;
        await PrepareValidationAsync(db, ct);
        var errors = TextRules.Check(input, Validate(input, await OthersAsync(db, id, ct), entity));
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);
        var before = ToDto(entity);
        Apply(input, entity);
        Stamp(entity, actor);
        audit.Append(db, actor, Noun, NameOf(entity), "updated", AuditLog.ChangedFields(before, ToDto(entity), input));
        try
        {
            await db.SaveChangesAsync(ct);
            return Outcome.Ok;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Changed(entity, "another user", null);
        }
    }

    public async Task<Outcome> DeleteAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.Set<TEntity>().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (entity is null)
            return NotFound(id);
        db.Remove(entity);
        audit.Append(db, actor, Noun, NameOf(entity), "deleted", []);
        await db.SaveChangesAsync(ct);
        return Outcome.Ok;
    }

    private async Task<List<TDto>> OthersAsync(ApplianceDb db, int id, CancellationToken ct) =>
        [.. (await db.Set<TEntity>().AsNoTracking().Where(e => e.Id != id).ToListAsync(ct)).Select(ToDto)];

    private void Stamp(TEntity entity, string actor)
    {
        entity.Version++;
        entity.UpdatedBy = actor;
        entity.UpdatedAt = clock.GetUtcNow();
    }

    private Outcome NotFound(int id) => Outcome.NotFound($"There is no {Noun} with id {id}.");

    private Outcome Changed(TEntity entity, string? by, DateTimeOffset? at) =>
        Outcome.Conflict($"The {Noun} {NameOf(entity)} was changed by {by ?? "another user"}" +
                         (at is null ? "" : $" at {at:yyyy-MM-dd HH:mm} UTC") + "; reload to see their version before saving.");
}
