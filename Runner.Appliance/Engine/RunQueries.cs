using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Engine;

/// <summary>One role of the plan as the page and the API show it.</summary>
public sealed record PlanRole(string Phase, string Name, string Description, IReadOnlyList<string> Targets, bool Implemented, bool Hidden, int ExpectedSeconds);

public sealed record RoleRunView(int Id, int Order, string Role, RoleStatus Status, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int? ExitCode, string? Message, int ExpectedSeconds);

public sealed record RunView(int Id, RunStatus Status, bool Check, string StartedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, string? Message,
    IReadOnlyList<RoleRunView> Roles, DateTimeOffset? EventsPurgedAt = null, string? Preflight = null, string? GateOverride = null,
    IReadOnlyList<RunStartView>? Starts = null);

public sealed record EventView(long Id, int RoleRunId, int Attempt, DateTimeOffset At, string Type, string? Host, string? Task, string? Status, string Text);

/// <summary>Reads runs, roles and events for the pages and the API (the engine writes them).</summary>
public sealed class RunQueries(IDbContextFactory<ApplianceDb> dbFactory, CatalogFile catalog)
{
    public const int MaxPage = 5000;

    public async Task<IReadOnlyList<PlanRole>> PlanAsync(bool includeHidden = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var products = (await db.GeneralSettings.AsNoTracking().SingleOrDefaultAsync(ct))?.Products ?? [];
        var roles = includeHidden ? catalog.Catalog.Roles.Where(r => r.Products.Count == 0 || r.Products.Any(products.Contains)) : catalog.Catalog.PlanFor(products);
        return [.. roles.Select(r => new PlanRole(catalog.Catalog.PhaseOf(r).Name, r.Name, r.Description, r.Targets, r.Implemented, r.Hidden, r.ExpectedS))];
    }

    public async Task<IReadOnlyList<RunView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = await db.DeploymentRuns.AsNoTracking().Include(r => r.Roles).Include(r => r.Starts).AsSplitQuery().OrderByDescending(r => r.Id).Take(200).ToListAsync(ct);
        return [.. runs.Select(View)];
    }

    public async Task<RunView?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.DeploymentRuns.AsNoTracking().Include(r => r.Roles).Include(r => r.Starts).AsSplitQuery().SingleOrDefaultAsync(r => r.Id == id, ct);
        return run is null ? null : View(run);
    }

    /// <summary>The configuration the run used (answer-file JSON, no secret).</summary>
    public async Task<string?> SnapshotAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DeploymentRuns.Where(r => r.Id == id).Select(r => r.ConfigurationSnapshot).SingleOrDefaultAsync(ct);
    }

    /// <summary>The vars one role run received, secrets masked.</summary>
    public async Task<string?> VarsAsync(int runId, int roleRunId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RoleRuns.Where(r => r.RunId == runId && r.Id == roleRunId).Select(r => r.VarsJson).SingleOrDefaultAsync(ct);
    }

    /// <summary>Events of a run after <paramref name="after"/> (an event id), oldest first; optionally one role run.</summary>
    public async Task<IReadOnlyList<EventView>> EventsAsync(int runId, long after = 0, int limit = 1000, int? roleRunId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.RunEvents.AsNoTracking().Where(e => e.RunId == runId && e.Id > after);
        if (roleRunId is { } role)
            query = query.Where(e => e.RoleRunId == role);
        var events = await query.OrderBy(e => e.Id).Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(ct);
        return [.. events.Select(ToView)];
    }

    /// <summary>Events of a run before <paramref name="before"/> (an event id; 0 = from the end), newest first: the tail of a long log first.</summary>
    public async Task<IReadOnlyList<EventView>> EventsBeforeAsync(int runId, long before = 0, int limit = MaxPage, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.RunEvents.AsNoTracking().Where(e => e.RunId == runId);
        if (before > 0)
            query = query.Where(e => e.Id < before);
        var events = await query.OrderByDescending(e => e.Id).Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(ct);
        return [.. events.Select(ToView)];
    }

    /// <summary>The stored JSON records of one role run, for the JSON-lines download.</summary>
    public async Task<IReadOnlyList<string>> RawEventsAsync(int roleRunId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RunEvents.AsNoTracking().Where(e => e.RoleRunId == roleRunId).OrderBy(e => e.Id).Select(e => e.Json).ToListAsync(ct);
    }

    /// <summary>One stored record (masked), for a failed task's full output.</summary>
    public async Task<string?> RawEventAsync(long eventId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RunEvents.AsNoTracking().Where(e => e.Id == eventId).Select(e => e.Json).SingleOrDefaultAsync(ct);
    }

    public static EventView ToView(RunEvent e) => new(e.Id, e.RoleRunId, e.Attempt, e.At, e.Type, e.Host, e.Task, e.Status, e.Text);

    private RunView View(DeploymentRun run) => new(run.Id, run.Status, run.Check, run.StartedBy, run.CreatedAt, run.FinishedAt, run.Message,
        [.. run.Roles.OrderBy(r => r.Order).Select(r => new RoleRunView(r.Id, r.Order, r.Role, r.Status, r.Attempts, r.StartedAt, r.FinishedAt, r.ExitCode, r.Message,
            catalog.Catalog.Role(r.Role)?.ExpectedS ?? 0))], run.EventsPurgedAt, run.Preflight, run.GateOverride,
        [.. run.Starts.OrderBy(s => s.Id).Select(s => new RunStartView(s.Kind, s.Roles, s.StartedBy, s.StartedAt, s.Gate, s.GateOverride))]);

    public async Task<bool> ExistsAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DeploymentRuns.AnyAsync(r => r.Id == id, ct);
    }
}
