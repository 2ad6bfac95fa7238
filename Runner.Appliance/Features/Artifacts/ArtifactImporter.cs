using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>How an import ended for the artifacts it planned.</summary>
internal sealed record ImportSummary(int Stored, int AlreadyPresent, int Incomplete);

/// <summary>
/// Carries out an import plan, one artifact at a time: an artifact already in the store as the manifest
/// describes it is left alone; otherwise its files are staged (a file verified in staging before, or in
/// the store, is not read from the tree again), each hashed while copied, and the artifact's folder is
/// moved into the store only when every one of its files matched (<see cref="ArtifactCommit"/>).
/// </summary>
public sealed class ArtifactImporter(ArtifactStore store, ArtifactCommit commit, RepositorySigning signing, IDbContextFactory<ApplianceDb> dbFactory, TimeProvider clock)
{
    internal async Task<ImportSummary> ImportAsync(string tree, ImportPlan plan, ImportMeter meter, IProgress<ImportView> progress, CancellationToken ct)
    {
        int stored = 0, present = 0, incomplete = 0;
        await using var batch = new StagingBatch(dbFactory, meter);
        foreach (var planned in plan.Artifacts)
        {
            ct.ThrowIfCancellationRequested();
            if (await commit.IsStoredAsync(planned, ct))
            {
                present++;
                meter.Skip(planned.Bytes);
                for (var i = 0; i < planned.Files.Count; i++)
                    meter.FileDone();
                continue;
            }
            if (await StageAsync(tree, planned, batch, meter, progress, ct))
            {
                await batch.FlushAsync(ct);
                // Signed in staging, so that a repository is never in the store without its signature.
                if (planned.Artifact.Kind == ArtifactKind.PackageRepo)
                    await signing.SignAsync(store.In(StoreArea.Staging, planned.Artifact.Path), planned.Artifact.Name, ct);
                await commit.StoreAsync(planned, meter.Id, ct);
                meter.Stored(planned.Artifact.Name);
                stored++;
            }
            else
                incomplete++;
            progress.Report(meter.Snapshot());
        }
        return new ImportSummary(stored, present, incomplete);
    }

    /// <summary>Stages every file of <paramref name="planned"/>; false when one did not match its manifest entry (refused by name).</summary>
    private async Task<bool> StageAsync(string tree, PlannedArtifact planned, StagingBatch batch, ImportMeter meter, IProgress<ImportView> progress, CancellationToken ct)
    {
        var name = planned.Artifact.Name;
        var (staged, inStore) = await commit.PrepareStagingAsync(planned, ct);
        var whole = true;
        foreach (var file in planned.Files)
        {
            meter.Begin(file.Path);
            var target = store.In(StoreArea.Staging, file.Path);
            var done = staged.GetValueOrDefault(file.Path);
            if (done is not null && Fits(done, file) && done.Unchanged(new FileInfo(target)))
            {
                meter.Skip(file.Size);
                meter.FileDone();
                continue;
            }
            await batch.ForgetAsync(done, ct);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Delete(target);
            var row = new ArtifactFile { Area = StoreArea.Staging, Artifact = name, Path = file.Path, ExpectedSha256 = file.Sha256.ToLowerInvariant(), ExpectedSize = file.Size };
            if (inStore.GetValueOrDefault(file.Path) is { } kept && Fits(kept, file) && kept.Unchanged(new FileInfo(store.In(StoreArea.Store, file.Path)))
                && ArtifactStore.TryHardLink(store.In(StoreArea.Store, file.Path), target))
            {
                // The store's copy was verified as this very file: a second name for it, no byte read again.
                (row.Sha256, row.Size, row.ModifiedTicks, row.VerifiedAt) = (kept.Sha256, kept.Size, new FileInfo(target).LastWriteTimeUtc.Ticks, kept.VerifiedAt);
                meter.Skip(file.Size);
            }
            else
            {
                (string Sha256, long Length) copied;
                try
                {
                    copied = await FileHashing.CopyAsync(Path.Combine(tree, file.Path), target, file.Size, read =>
                    {
                        meter.Read(read, copied: true);
                        if (meter.Due())
                            progress.Report(meter.Snapshot());
                    }, ct);
                }
                catch
                {
                    File.Delete(target);
                    throw;
                }
                (row.Sha256, row.Size, row.ModifiedTicks, row.VerifiedAt) = (copied.Sha256, copied.Length, new FileInfo(target).LastWriteTimeUtc.Ticks, clock.GetUtcNow());
                if (!row.Matches)
                {
                    meter.Refuse(ImportPlan.Refusal(RefusalKind.Corrupt, planned.Artifact, file.Path,
                        $"{file.Path}: sha256 {row.Sha256} ({row.Size:N0} bytes) in the tree, the manifest says {row.ExpectedSha256} ({row.ExpectedSize:N0} bytes); {name} not imported."));
                    File.Delete(target);
                    whole = false;
                    meter.FileDone();
                    continue;
                }
            }
            await batch.AddAsync(row, ct);
            meter.FileDone();
        }
        return whole;
    }

    /// <summary>A verified row is this manifest file's: same sha256 and size expected, and found.</summary>
    private static bool Fits(ArtifactFile row, ManifestFile file) =>
        row.Matches && string.Equals(row.ExpectedSha256, file.Sha256, StringComparison.OrdinalIgnoreCase) && row.ExpectedSize == file.Size;
}
