using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>Body of <c>POST /api/v1/artifacts/import</c>: where the tree is on the appliance (a mounted USB disk, a directory copied over SSH).</summary>
public sealed record ImportRequest([property: TextLimit(4096)] string? Path = null);

/// <summary>The artifact store as pages and the API use it: the list with statuses, imports and verifications, their news.</summary>
public sealed class ArtifactsService(ArtifactJobs jobs, ArtifactInventory inventory, ArtifactNotifier notifier, IDbContextFactory<ApplianceDb> dbFactory)
{
    /// <summary>Every artifact of the lock with its status against the plan of the configured products.</summary>
    public async Task<ArtifactsOverview> OverviewAsync(CancellationToken ct = default)
    {
        List<string> products;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            products = (await db.GeneralSettings.AsNoTracking().SingleOrDefaultAsync(ct))?.Products ?? [];
        return await inventory.OverviewAsync(products, ct);
    }

    public async Task<(Outcome Outcome, int Id)> ImportAsync(ImportRequest request, string actor, CancellationToken ct = default)
    {
        // Forms do not pass through the API's input check: the same text rule here.
        var errors = TextRules.Check(request);
        if (!errors.IsEmpty)
            return (Outcome.Invalid(errors), 0);
        return await jobs.StartImportAsync(request.Path?.Trim(), actor, ct);
    }

    public Task<(Outcome Outcome, int Id)> VerifyAllAsync(string actor, CancellationToken ct = default) => jobs.StartVerifyAsync(actor, ct);

    public Task<Outcome> CancelAsync(int id, string actor, CancellationToken ct = default) => jobs.CancelAsync(id, actor, ct);

    /// <summary>One import or verification: live while it runs, as stored once it ended.</summary>
    public Task<ImportView?> ImportViewAsync(int id, CancellationToken ct = default) => jobs.ViewAsync(id, ct);

    /// <summary>The job under way, else the latest one.</summary>
    public Task<ImportView?> LatestImportAsync(CancellationToken ct = default) => jobs.ViewAsync(null, ct);

    public ImportView? Current => jobs.Current;

    public IDisposable Subscribe(Action<ArtifactNews> handler) => notifier.Subscribe(handler);
}
