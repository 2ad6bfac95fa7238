namespace Runner.Appliance.Features.Artifacts;

/// <summary>present: every file in the store with its sha256; corrupt: one with another; missing: otherwise; not needed: missing, and no role of the plan needs it.</summary>
public enum ArtifactStatus { Present, Missing, Corrupt, NotNeeded }

/// <summary>One artifact of the lock file as the page and <c>GET /api/v1/artifacts</c> show it.</summary>
/// <param name="Roles">Every catalog role that names the artifact.</param>
/// <param name="NeededByPlan">A role of the plan (the configured products' roles, the appliance's check roles included) names it.</param>
/// <param name="Problem">Why it is not present, naming the files (corrupt, missing, another version in the store).</param>
public sealed record ArtifactView(string Name, ArtifactKind Kind, string Version, string Os, long Size, ArtifactStatus Status,
    IReadOnlyList<string> Roles, bool NeededByPlan, string? Problem, DateTimeOffset? VerifiedAt);

/// <summary>Every artifact of the lock, with what keeps the list from being whole (an unreadable lock file, a role naming an unknown artifact).</summary>
public sealed record ArtifactsOverview(IReadOnlyList<ArtifactView> Artifacts, IReadOnlyList<string> Problems);

public sealed record RefusalView(RefusalKind Kind, string? Artifact, string? Path, string Message);

/// <summary>An import (or a verification) as it stands: done and total, the rate over the last seconds, the time left at that rate.</summary>
public sealed record ImportView(int Id, ImportKind Kind, string Path, string StartedBy, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, ImportStatus Status,
    long BytesDone, long BytesTotal, int FilesDone, int FilesTotal, long BytesCopied, double BytesPerSecond, double? SecondsLeft,
    string? CurrentFile, string? Message, IReadOnlyList<string> Stored, IReadOnlyList<RefusalView> Refusals)
{
    public bool Running => Status == ImportStatus.Running;

    public static ImportView Of(ArtifactImport row, IReadOnlyList<string>? stored = null) => new(row.Id, row.Kind, row.Path, row.StartedBy, row.StartedAt, row.EndedAt,
        row.Status, row.BytesDone, row.BytesTotal, row.FilesDone, row.FilesTotal, row.BytesCopied, 0, null, null, row.Message, stored ?? [],
        [.. row.Refusals.OrderBy(r => r.Id).Select(r => new RefusalView(r.Kind, r.Artifact, r.Path, r.Message))]);
}

/// <summary>News of the store, as open pages follow it.</summary>
public abstract record ArtifactNews;

/// <summary>An import or a verification moved on (throttled: a few times a second).</summary>
public sealed record ImportProgressed(ImportView Import) : ArtifactNews;

/// <summary>An import or a verification ended, stored with its refusals.</summary>
public sealed record ImportEnded(ImportView Import) : ArtifactNews;

/// <summary>An artifact entered the store, or a verification changed what is known of its files.</summary>
public sealed record StoreChanged(string? Artifact) : ArtifactNews;
