using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// The store's side of an import: whether an artifact is already there, the staging folder made ready
/// for one, and the move of a wholly verified artifact into the store. The folder is renamed first and
/// recorded after, so a crash in between leaves files the records do not vouch for (shown missing or
/// corrupt), never records that vouch for files not there.
/// </summary>
public sealed class ArtifactCommit(ArtifactStore store, IDbContextFactory<ApplianceDb> dbFactory, TimeProvider clock)
{
    /// <summary>The store holds <paramref name="planned"/> as its manifest describes it, every file verified and unchanged since.</summary>
    internal async Task<bool> IsStoredAsync(PlannedArtifact planned, CancellationToken ct)
    {
        var artifact = planned.Artifact;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.StoredArtifacts.AsNoTracking().SingleOrDefaultAsync(a => a.Name == artifact.Name, ct);
        if (record is null || record.Kind != artifact.Kind || record.Version != artifact.Version || record.Size != artifact.Size
            || !string.Equals(record.Sha256, artifact.Sha256 ?? "", StringComparison.OrdinalIgnoreCase))
            return false;
        var rows = await db.ArtifactFiles.AsNoTracking().Where(f => f.Area == StoreArea.Store && f.Artifact == artifact.Name).ToDictionaryAsync(f => f.Path, ct);
        return rows.Count == planned.Files.Count && planned.Files.All(f => rows.TryGetValue(f.Path, out var row) && row.Matches
            && string.Equals(row.ExpectedSha256, f.Sha256, StringComparison.OrdinalIgnoreCase) && row.Unchanged(new FileInfo(store.In(StoreArea.Store, f.Path))));
    }

    /// <summary>
    /// Clears the artifact's staging folder of what this manifest does not list (left by an import of
    /// another version), and returns the rows of its files verified in staging and in the store, by path.
    /// </summary>
    internal async Task<(Dictionary<string, ArtifactFile> Staged, Dictionary<string, ArtifactFile> Stored)> PrepareStagingAsync(PlannedArtifact planned, CancellationToken ct)
    {
        var name = planned.Artifact.Name;
        var wanted = planned.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ArtifactFiles.AsNoTracking().Where(f => f.Artifact == name).ToListAsync(ct);
        var stale = rows.Where(r => r.Area == StoreArea.Staging && !wanted.Contains(r.Path)).Select(r => r.Id).ToList();
        await db.ArtifactFiles.Where(f => stale.Contains(f.Id)).ExecuteDeleteAsync(ct);
        var folder = store.In(StoreArea.Staging, planned.Artifact.Path);
        if (Directory.Exists(folder))
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                if (!wanted.Contains(Path.GetRelativePath(store.StagingPath, file).Replace(Path.DirectorySeparatorChar, '/')))
                    File.Delete(file);
        return (rows.Where(r => r.Area == StoreArea.Staging && wanted.Contains(r.Path)).ToDictionary(r => r.Path),
            rows.Where(r => r.Area == StoreArea.Store).ToDictionary(r => r.Path));
    }

    /// <summary>Moves the staged folder of <paramref name="planned"/> into the store (replacing a copy there) and records it.</summary>
    internal async Task StoreAsync(PlannedArtifact planned, int importId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var artifact = planned.Artifact;
        var staged = store.In(StoreArea.Staging, artifact.Path);
        var target = store.In(StoreArea.Store, artifact.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string? replaced = null;
        if (Directory.Exists(target))
        {
            replaced = Path.Combine(store.TrashPath, $"{importId}-{artifact.Name}-{Guid.NewGuid():N}");
            Directory.Move(target, replaced);
        }
        Directory.Move(staged, target);

        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        // Not the import's token from here: the folder has moved, and its record must follow it.
        await db.ArtifactFiles.Where(f => f.Area == StoreArea.Store && f.Artifact == artifact.Name).ExecuteDeleteAsync(CancellationToken.None);
        await db.StoredArtifacts.Where(a => a.Name == artifact.Name).ExecuteDeleteAsync(CancellationToken.None);
        await db.ArtifactFiles.Where(f => f.Area == StoreArea.Staging && f.Artifact == artifact.Name)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Area, StoreArea.Store), CancellationToken.None);
        db.StoredArtifacts.Add(new StoredArtifact
        {
            Name = artifact.Name, Kind = artifact.Kind, Version = artifact.Version, Sha256 = (artifact.Sha256 ?? "").ToLowerInvariant(),
            Size = artifact.Size, ImportId = importId, StoredAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        if (replaced is not null)
            Directory.Delete(replaced, recursive: true);
    }

    /// <summary>Staged files of artifacts the lock no longer pins: no import will finish them.</summary>
    public async Task PurgeStagingAsync(ArtifactLock pins, CancellationToken ct)
    {
        var pinned = pins.Artifacts.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.ArtifactFiles.Where(f => f.Area == StoreArea.Staging).Select(f => f.Artifact).Distinct().ToListAsync(ct);
        var orphans = names.Where(n => !pinned.Contains(n)).ToList();
        await db.ArtifactFiles.Where(f => f.Area == StoreArea.Staging && orphans.Contains(f.Artifact)).ExecuteDeleteAsync(ct);
        foreach (var kind in Directory.EnumerateDirectories(store.StagingPath))
            foreach (var folder in Directory.EnumerateDirectories(kind).Where(f => !pinned.Contains(Path.GetFileName(f))))
                Directory.Delete(folder, recursive: true);
    }
}
