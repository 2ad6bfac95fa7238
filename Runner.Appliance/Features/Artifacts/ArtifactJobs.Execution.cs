using Microsoft.EntityFrameworkCore;

namespace Runner.Appliance.Features.Artifacts;

public sealed partial class ArtifactJobs
{
    /// <summary>A finished job as stored, or the one under way as it stands; null when there is no such job.</summary>
    public async Task<ImportView?> ViewAsync(int? id, CancellationToken ct)
    {
        lock (_gate)
            if (_active is { } active && (id is null || active.Meter.Id == id))
                return active.Meter.Snapshot();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.ArtifactImports.AsNoTracking().Include(i => i.Refusals);
        var row = id is { } wanted ? await rows.SingleOrDefaultAsync(i => i.Id == wanted, ct) : await rows.OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);
        if (row is null)
            return null;
        var stored = await db.StoredArtifacts.AsNoTracking().Where(a => a.ImportId == row.Id).Select(a => a.Name).ToListAsync(ct);
        return ImportView.Of(row, stored);
    }

    private async Task ExecuteAsync(Job job, Work work)
    {
        var meter = job.Meter;
        var progress = new Publisher(notifier);
        ImportStatus status;
        string message;
        try
        {
            message = await work(meter, progress, job.Cancel.Token);
            status = ImportStatus.Completed;
        }
        catch (OperationCanceledException) when (job.Cancel.IsCancellationRequested)
        {
            status = ImportStatus.Cancelled;
            message = $"Cancelled by {job.CancelledBy}. {Stored(meter)}What was verified of the rest is kept: the next import goes on from there.";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            status = ImportStatus.Failed;
            message = $"Stopped: {e.Message} {Stored(meter)}What was verified of the rest is kept: the next import goes on from there.";
        }
#pragma warning disable CA1031 // nobody awaits a background job: its failure is stored and published, and the slot freed
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Artifact job {Id} stopped on an error", meter.Id);
            status = ImportStatus.Failed;
            message = $"Stopped on an error: {e.Message}";
        }
        var ended = clock.GetUtcNow();
        try
        {
            await SaveEndAsync(meter, status, ended, message);
        }
#pragma warning disable CA1031 // the slot must be freed and the end told even when the store cannot record it
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Artifact job {Id} could not be recorded as ended", meter.Id);
        }
        lock (_gate)
        {
            _active = null;
            _claimed = false;
        }
        notifier.Publish(new ImportEnded(meter.Snapshot(status, ended, message)));
        notifier.Publish(new StoreChanged(null));
    }

    private async Task<string> ImportAsync(string tree, ArtifactManifest manifest, ArtifactLock pins, ImportMeter meter, IProgress<ImportView> progress, CancellationToken ct)
    {
        var plan = ImportPlan.Make(pins, manifest, ArtifactTree.Walk(tree, ct));
        foreach (var refusal in plan.Refusals)
            meter.Refuse(refusal);
        meter.Totals(plan.Artifacts.Sum(a => a.Bytes), plan.Artifacts.Sum(a => a.Files.Count));
        progress.Report(meter.Snapshot());
        var summary = await importer.ImportAsync(tree, plan, meter, progress, ct);
        await commit.PurgeStagingAsync(pins, ct);
        var refused = meter.Refusals.Count;
        return $"{Count(summary.Stored, "artifact")} stored, {summary.AlreadyPresent} already in the store"
            + (summary.Incomplete > 0 ? $", {summary.Incomplete} not stored (a file did not match its manifest)" : "")
            + (refused > 0 ? $"; {Count(refused, "refusal")}, each named below." : ".");
    }

    private async Task<string> VerifyAsync(ImportMeter meter, IProgress<ImportView> progress, CancellationToken ct)
    {
        var summary = await verifier.VerifyAllAsync(meter, progress, ct);
        if (summary.Corrupt.Count + summary.Missing.Count == 0)
            return $"{Count(summary.Files, "file")} hashed again: every one matches its manifest.";
        return $"{Count(summary.Files, "file")} hashed again: "
            + string.Join("; ", new[] { (summary.Corrupt, "corrupt"), (summary.Missing, "missing") }.Where(p => p.Item1.Count > 0)
                .Select(p => $"{p.Item1.Count} {p.Item2} ({string.Join(", ", p.Item1.Take(3))}{(p.Item1.Count > 3 ? ", …" : "")})")) + ".";
    }

    private async Task SaveEndAsync(ImportMeter meter, ImportStatus status, DateTimeOffset ended, string message)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.ArtifactImports.SingleAsync(i => i.Id == meter.Id, CancellationToken.None);
        meter.Apply(row);
        (row.Status, row.EndedAt, row.Message) = (status, ended, message);
        foreach (var refusal in meter.Refusals)
            row.Refusals.Add(new ArtifactRefusal { Kind = refusal.Kind, Artifact = refusal.Artifact, Version = refusal.Version, Path = refusal.Path, Message = refusal.Message });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static string Stored(ImportMeter meter) =>
        meter.StoredArtifacts is { Count: > 0 } stored ? $"Stored before: {string.Join(", ", stored)}. " : "";

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    /// <summary>Progress goes to the pages as it comes, on the job's thread: <see cref="Progress{T}"/> would post it to a context there is none of.</summary>
    private sealed class Publisher(ArtifactNotifier notifier) : IProgress<ImportView>
    {
        public void Report(ImportView value) => notifier.Publish(new ImportProgressed(value));
    }
}
