using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Runner.Appliance.Data;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// Owns the store's background work, one job at a time: an import of a tree or a verification of the whole
/// store. A start returns the job's id at once; the job belongs to the appliance (it goes on when its
/// starter leaves) and reports through <see cref="ArtifactNotifier"/>; a cancel stops it between two chunks.
/// </summary>
public sealed partial class ArtifactJobs(ArtifactImporter importer, ArtifactCommit commit, ArtifactVerifier verifier, ArtifactNeeds needs, ArtifactStore store,
    ArtifactNotifier notifier, IDbContextFactory<ApplianceDb> dbFactory, IOptions<ArtifactOptions> options, TimeProvider clock, ILogger<ArtifactJobs> logger)
{
    private delegate Task<string> Work(ImportMeter meter, IProgress<ImportView> progress, CancellationToken ct);

    private sealed record Job(ImportMeter Meter, ImportKind Kind, CancellationTokenSource Cancel)
    {
        public Task Execution { get; set; } = Task.CompletedTask;
        public string? CancelledBy { get; set; }
    }

    private readonly Lock _gate = new();
    private Job? _active;
    private bool _claimed;

    /// <summary>The job under way, as it stands now.</summary>
    public ImportView? Current { get { lock (_gate) return _active?.Meter.Snapshot(); } }

    /// <summary>Completes once the job under way (if any) has ended and been stored.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
            return _active?.Execution ?? Task.CompletedTask;
    }

    /// <summary>Starts importing the tree at <paramref name="path"/>; refused (by field) when it is not a readable tree with a sound manifest.</summary>
    public async Task<(Outcome Outcome, int Id)> StartImportAsync(string? path, string actor, CancellationToken ct)
    {
        if (PathProblem(path) is { } problem)
            return (Outcome.Invalid("path", problem), 0);
        var tree = Path.GetFullPath(path!);
        ArtifactManifest manifest;
        ArtifactLock pins;
        try
        {
            manifest = await ArtifactManifest.ReadAsync(tree, ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return (Outcome.Invalid("path", e.Message), 0);
        }
        try
        {
            pins = needs.Lock();
        }
        catch (InvalidDataException e)
        {
            return (Outcome.Conflict($"The lock file cannot be read, so no artifact can be checked against it: {e.Message}"), 0);
        }
        return await StartAsync(ImportKind.Import, tree, actor, (meter, progress, token) => ImportAsync(tree, manifest, pins, meter, progress, token), ct);
    }

    /// <summary>Starts hashing every file of the store again ("verify all again").</summary>
    public Task<(Outcome Outcome, int Id)> StartVerifyAsync(string actor, CancellationToken ct) =>
        StartAsync(ImportKind.Verify, store.StorePath, actor, VerifyAsync, ct);

    /// <summary>Cancels job <paramref name="id"/> if it is the one under way.</summary>
    public async Task<Outcome> CancelAsync(int id, string actor, CancellationToken ct)
    {
        Job? job;
        lock (_gate)
            job = _active is { } active && active.Meter.Id == id ? active : null;
        if (job is not null)
        {
            job.CancelledBy = actor;
            await job.Cancel.CancelAsync();
            return Outcome.Ok;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ArtifactImports.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct) is { } row
            ? Outcome.Conflict($"Import {id} is not running: it is {row.Status.ToString().ToLowerInvariant()}.")
            : Outcome.NotFound($"There is no import {id}.");
    }

    private string? PathProblem(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return "Give the path of an artifact tree on the appliance: a mounted USB disk, or a directory copied over SSH.";
        if (!Path.IsPathFullyQualified(path))
            return $"An absolute path on the appliance is expected (e.g. /mnt/usb/artifacts); got '{path}'.";
        if (!Directory.Exists(path))
            return $"{path} is not a directory on the appliance.";
        // The walk would meet the files the import itself writes.
        return IsInside(path, store.Root) || IsInside(store.Root, path)
            ? $"{path} overlaps the appliance's own artifact store ({store.Root}); import from where the tree was copied to." : null;
    }

    private async Task<(Outcome Outcome, int Id)> StartAsync(ImportKind kind, string path, string actor, Work work, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_claimed)
                return (Outcome.Conflict(_active is { } active
                    ? $"{(active.Kind == ImportKind.Import ? "Import" : "Verification")} {active.Meter.Id} is running; wait for it to end, or cancel it."
                    : "Another import is starting; wait for it to end, or cancel it."), 0);
            _claimed = true;
        }
        try
        {
            var row = new ArtifactImport { Kind = kind, Path = path, StartedBy = actor, StartedAt = clock.GetUtcNow(), Status = ImportStatus.Running };
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                db.ArtifactImports.Add(row);
                await db.SaveChangesAsync(ct);
            }
            var job = new Job(new ImportMeter(row, options.Value.ProgressInterval), kind, new CancellationTokenSource());
            lock (_gate)
            {
                _active = job;
                // On the thread pool, never on the caller's context (a page's circuit): the caller returns at once.
                job.Execution = Task.Run(() => ExecuteAsync(job, work), CancellationToken.None);
            }
            return (Outcome.Ok, row.Id);
        }
        catch
        {
            lock (_gate)
                _claimed = false;
            throw;
        }
    }

    private static bool IsInside(string path, string root) =>
        (Path.GetFullPath(path).TrimEnd('/') + "/").StartsWith(Path.GetFullPath(root).TrimEnd('/') + "/", StringComparison.Ordinal);
}
