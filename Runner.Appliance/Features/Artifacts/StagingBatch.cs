using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// The rows of files verified in staging, stored in batches (a repository of thousands of packages is not
/// thousands of transactions) with the import's counters, and stored in any case when the import stops:
/// a cancelled import keeps what it verified, for the next one to resume from.
/// </summary>
internal sealed class StagingBatch(IDbContextFactory<ApplianceDb> dbFactory, ImportMeter meter) : IAsyncDisposable
{
    private const int MaxRows = 256;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly List<ArtifactFile> _pending = [];
    private DateTime _last = DateTime.UtcNow;

    public async Task AddAsync(ArtifactFile row, CancellationToken ct)
    {
        _pending.Add(row);
        if (_pending.Count >= MaxRows || DateTime.UtcNow - _last >= Interval)
            await FlushAsync(ct);
    }

    /// <summary>Drops the stored row of a staged file about to be written again: a half-written file is never one that was verified.</summary>
    public async Task ForgetAsync(ArtifactFile? row, CancellationToken ct)
    {
        if (row is null)
            return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.ArtifactFiles.Where(f => f.Id == row.Id).ExecuteDeleteAsync(ct);
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        _last = DateTime.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ArtifactFiles.AddRange(_pending);
        var import = await db.ArtifactImports.SingleAsync(i => i.Id == meter.Id, ct);
        meter.Apply(import);
        await db.SaveChangesAsync(ct);
        _pending.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (_pending.Count > 0)
            await FlushAsync(CancellationToken.None);
    }
}
