using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>How a verification of the whole store ended.</summary>
internal sealed record VerifySummary(int Files, IReadOnlyList<string> Corrupt, IReadOnlyList<string> Missing);

/// <summary>
/// Keeps the store's file rows true to the disk. Hashing gigabytes on every look is too slow, so a file
/// is hashed again only when its size or write time is no longer the one recorded (<see cref="RefreshAsync"/>),
/// or when an Admin asks for all of them (<see cref="VerifyAllAsync"/>). One file is hashed at a time.
/// </summary>
public sealed class ArtifactVerifier(ArtifactStore store, IDbContextFactory<ApplianceDb> dbFactory, TimeProvider clock)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Hashes again the files of <paramref name="rows"/> that changed since they were hashed, recording (and returning in the rows) what it found.</summary>
    public async Task RefreshAsync(IReadOnlyList<ArtifactFile> rows, CancellationToken ct)
    {
        foreach (var row in rows)
        {
            var file = new FileInfo(store.In(row.Area, row.Path));
            if (file.Exists && !row.Unchanged(file))
                await RehashAsync(row, _ => { }, ct);
        }
    }

    /// <summary>Hashes every file of the store again.</summary>
    internal async Task<VerifySummary> VerifyAllAsync(ImportMeter meter, IProgress<ImportView> progress, CancellationToken ct)
    {
        List<ArtifactFile> rows;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            rows = await db.ArtifactFiles.AsNoTracking().Where(f => f.Area == StoreArea.Store).OrderBy(f => f.Path).ToListAsync(ct);
        meter.Totals(rows.Sum(r => r.ExpectedSize), rows.Count);
        progress.Report(meter.Snapshot());
        List<string> corrupt = [], missing = [];
        foreach (var row in rows)
        {
            meter.Begin(row.Path);
            if (!File.Exists(store.In(StoreArea.Store, row.Path)))
            {
                missing.Add(row.Path);
                meter.Skip(row.ExpectedSize);
            }
            else
            {
                await RehashAsync(row, read =>
                {
                    meter.Read(read, copied: false);
                    if (meter.Due())
                        progress.Report(meter.Snapshot());
                }, ct);
                if (!row.Matches)
                    corrupt.Add(row.Path);
            }
            meter.FileDone();
        }
        return new VerifySummary(rows.Count, corrupt, missing);
    }

    private async Task RehashAsync(ArtifactFile row, Action<long> progress, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            // What it is before hashing: a change while hashing is then seen as a change by the next look.
            var file = new FileInfo(store.In(row.Area, row.Path));
            var (size, modified) = (file.Length, file.LastWriteTimeUtc.Ticks);
            var (sha256, _) = await FileHashing.HashAsync(file.FullName, progress, ct);
            (row.Sha256, row.Size, row.ModifiedTicks, row.VerifiedAt) = (sha256, size, modified, clock.GetUtcNow());
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // By id: a row an import replaced meanwhile is simply not there any more.
            await db.ArtifactFiles.Where(f => f.Id == row.Id).ExecuteUpdateAsync(s => s
                .SetProperty(f => f.Sha256, sha256).SetProperty(f => f.Size, size).SetProperty(f => f.ModifiedTicks, modified)
                .SetProperty(f => f.VerifiedAt, row.VerifiedAt), ct);
        }
        finally
        {
            _one.Release();
        }
    }
}
