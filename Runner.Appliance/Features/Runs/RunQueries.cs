using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;

namespace Runner.Appliance.Features.Runs;

/// <summary>Reads runs, roles and events for the pages and the API (the engine writes them).</summary>
public sealed class RunQueries(IDbContextFactory<ApplianceDb> dbFactory, CatalogFile catalog, RunNotifier notifier, DeploymentEngine engine)
{
    public const int MaxPage = 5000;

    /// <summary>News of one run (its events as stored, its status changes) until the subscription is disposed.</summary>
    public IDisposable Follow(int runId, Action<RunNews> handler) => notifier.Subscribe(news =>
    {
        if (news.RunId == runId)
            handler(news);
    });

    /// <summary>News of every run (the deployment page's list).</summary>
    public IDisposable FollowAll(Action<RunNews> handler) => notifier.Subscribe(handler);

    /// <summary>Whether the run is the one executing now.</summary>
    public bool IsActive(int runId) => engine.ActiveRunId == runId;

    public async Task<IReadOnlyList<PlanRole>> PlanAsync(bool includeHidden = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var products = (await db.GeneralSettings.AsNoTracking().SingleOrDefaultAsync(ct))?.Products ?? [];
        var roles = includeHidden ? catalog.Catalog.Roles.Where(r => r.Products.Count == 0 || r.Products.Any(products.Contains)) : catalog.Catalog.PlanFor(products);
        return [.. roles.Select(r => new PlanRole(catalog.Catalog.PhaseOf(r).Name, r.Name, r.Description, r.Targets, r.Implemented, r.Hidden, r.ExpectedS,
            r.Artifacts, catalog.Catalog.ArtifactsFor([r]).TotalBytes))];
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
        return [.. events.Select(EventView.Of)];
    }

    /// <summary>Events of a run before <paramref name="before"/> (an event id; 0 = from the end), newest first: the tail of a long log first.</summary>
    public async Task<IReadOnlyList<EventView>> EventsBeforeAsync(int runId, long before = 0, int limit = MaxPage, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.RunEvents.AsNoTracking().Where(e => e.RunId == runId);
        if (before > 0)
            query = query.Where(e => e.Id < before);
        var events = await query.OrderByDescending(e => e.Id).Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(ct);
        return [.. events.Select(EventView.Of)];
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
