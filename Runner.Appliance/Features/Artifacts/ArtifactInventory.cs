using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// The status of every artifact of the lock, from the lock, what each import stored and refused, and the
/// file rows, made true to the disk first (files changed since they were hashed are hashed again).
/// </summary>
public sealed class ArtifactInventory(ArtifactNeeds needs, ArtifactStore store, ArtifactVerifier verifier, IDbContextFactory<ApplianceDb> dbFactory)
{
    public async Task<ArtifactsOverview> OverviewAsync(IReadOnlyCollection<string> products, CancellationToken ct)
    {
        var pins = needs.Lock();
        var roles = needs.Of(products);
        var problems = roles.SelectMany(r => r.Artifacts.Where(a => pins.Artifact(a) is null).Select(a => $"Role {r.Role} needs {a}, which the lock file does not pin.")).ToList();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.StoredArtifacts.AsNoTracking().ToDictionaryAsync(a => a.Name, ct);
        var rows = (await db.ArtifactFiles.AsNoTracking().Where(f => f.Area == StoreArea.Store).ToListAsync(ct)).ToLookup(f => f.Artifact);
        // The last word of an import on an artifact it did not store: why it is not there.
        var refusals = (await db.ArtifactRefusals.AsNoTracking().Where(r => r.Artifact != null).OrderBy(r => r.Id).ToListAsync(ct))
            .GroupBy(r => (r.Artifact!, r.Version)).ToDictionary(g => g.Key, g => g.Last());

        var current = pins.Artifacts.Where(a => stored.TryGetValue(a.Name, out var s) && IsPinned(s, a)).SelectMany(a => rows[a.Name]).ToList();
        await verifier.RefreshAsync(current, ct);

        var views = pins.Artifacts.Select(a =>
        {
            var needing = roles.Where(r => r.Artifacts.Contains(a.Name)).ToList();
            var (status, problem, verified) = stored.TryGetValue(a.Name, out var record) && IsPinned(record, a)
                ? OfStored(rows[a.Name].ToList())
                : refusals.GetValueOrDefault((a.Name, a.Version)) is { } refusal
                    ? (refusal.Kind == RefusalKind.Corrupt ? ArtifactStatus.Corrupt : ArtifactStatus.Missing, $"Import {refusal.ImportId}: {refusal.Message}", (DateTimeOffset?)null)
                    : (ArtifactStatus.Missing, record is null ? "Not in the store: import a tree that holds it." : $"The store holds version {record.Version}; the lock pins {a.Version}.", (DateTimeOffset?)null);
            var inPlan = needing.Any(r => r.InPlan);
            if (status == ArtifactStatus.Missing && !inPlan)
                status = ArtifactStatus.NotNeeded;
            return new ArtifactView(a.Name, a.Kind, a.Version, a.Os, a.Size, status, [.. needing.Select(r => r.Role)], inPlan, problem, verified);
        }).ToList();
        return new ArtifactsOverview(views, problems);
    }

    /// <summary>The store's copy is the lock's pin. A repository's stored sha256 is its index's, which the lock does not know: its version and size tell.</summary>
    internal static bool IsPinned(StoredArtifact stored, LockedArtifact pinned) =>
        stored.Kind == pinned.Kind && stored.Version == pinned.Version && stored.Size == pinned.Size
        && (pinned.Kind == ArtifactKind.PackageRepo || string.Equals(stored.Sha256, pinned.Sha256, StringComparison.OrdinalIgnoreCase));

    private (ArtifactStatus, string?, DateTimeOffset?) OfStored(List<ArtifactFile> files)
    {
        var corrupt = files.Where(f => File.Exists(store.In(StoreArea.Store, f.Path)) && !f.Matches).ToList();
        var missing = files.Where(f => !File.Exists(store.In(StoreArea.Store, f.Path))).ToList();
        DateTimeOffset? verified = files.Count == 0 ? null : files.Min(f => f.VerifiedAt);
        if (corrupt.Count > 0)
            return (ArtifactStatus.Corrupt, Join(corrupt.Select(f => $"{f.Path}: sha256 {f.Sha256} ({f.Size:N0} bytes), the manifest says {f.ExpectedSha256} ({f.ExpectedSize:N0} bytes)")) + ". Import the tree again to repair it.", verified);
        if (missing.Count > 0 || files.Count == 0)
            return (ArtifactStatus.Missing, Join(missing.Select(f => $"{f.Path} is not in the store")) + ". Import the tree again to repair it.", verified);
        return (ArtifactStatus.Present, null, verified);
    }

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return string.Join("; ", list.Take(3)) + (list.Count > 3 ? $"; and {list.Count - 3} more" : "");
    }
}
