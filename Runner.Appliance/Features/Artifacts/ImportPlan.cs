namespace Runner.Appliance.Features.Artifacts;

/// <summary>An artifact of the tree that the lock pins as the manifest describes it, with its files.</summary>
internal sealed record PlannedArtifact(TreeArtifact Artifact, IReadOnlyList<ManifestFile> Files)
{
    public long Bytes => Files.Sum(f => f.Size);
}

/// <summary>
/// What an import will read, decided before a byte is copied: the artifacts the lock pins as the
/// manifest says (and whose files are all in the tree), and, by name, everything it refuses.
/// </summary>
internal sealed record ImportPlan(IReadOnlyList<PlannedArtifact> Artifacts, IReadOnlyList<ArtifactRefusal> Refusals)
{
    /// <summary>The tree's own files, no artifact's: its manifest, the manifest's sha256, and the fetcher's record of what it verified.</summary>
    private static readonly string[] TreeFiles = [ArtifactManifest.FileName, ArtifactManifest.ChecksumFileName, ".fetch-state.json"];

    public static ImportPlan Make(ArtifactLock pins, ArtifactManifest manifest, IReadOnlyList<TreeEntry> tree)
    {
        var refusals = new List<ArtifactRefusal>();
        var files = new Dictionary<string, ManifestFile>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
            files.TryAdd(file.Path, file);
        var entries = tree.Where(e => !TreeFiles.Contains(e.Path)).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var listed = manifest.Artifacts.SelectMany(a => a.Files).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries.Values.Where(e => !listed.Contains(e.Path)).OrderBy(e => e.Path, StringComparer.Ordinal))
            refusals.Add(Refusal(RefusalKind.Unlisted, null, entry.Path, $"{entry.Path}: in the tree, but no artifact of the manifest lists it; not imported."));

        var planned = new List<PlannedArtifact>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var artifact in manifest.Artifacts)
        {
            IReadOnlyList<ArtifactRefusal> problems = !seen.Add(artifact.Name) ? [Refusal(RefusalKind.Invalid, artifact, null, $"{artifact.Name}: listed twice by the manifest; not imported.")]
                : pins.Artifact(artifact.Name) is not { } pinned ? [Refusal(RefusalKind.UnknownArtifact, artifact, null, $"{artifact.Name} {artifact.Version}: the lock file does not pin this artifact; not imported.")]
                : LockProblem(pinned, artifact) is { } mismatch ? [Refusal(RefusalKind.LockMismatch, artifact, null, $"{artifact.Name}: {mismatch}; not imported.")]
                : ManifestChecks.FileProblems(pinned, artifact, files, entries) is { Count: > 0 } bad ? bad
                : ManifestChecks.ContentProblem(pinned, artifact, files) is { } inconsistent ? [Refusal(RefusalKind.Invalid, artifact, null, $"{artifact.Name}: {inconsistent}; not imported.")]
                : [];
            if (problems.Count == 0)
                planned.Add(new PlannedArtifact(artifact, [.. artifact.Files.Select(f => files[f])]));
            refusals.AddRange(problems);
        }
        return new ImportPlan(planned, refusals);
    }

    /// <summary>What of the manifest's artifact differs from the lock's pin, in words; null when it is the pinned one.</summary>
    private static string? LockProblem(LockedArtifact pinned, TreeArtifact artifact)
    {
        if (pinned.Kind != artifact.Kind)
            return $"the tree has a {Words(artifact.Kind)}, the lock pins a {Words(pinned.Kind)}";
        if (pinned.Version != artifact.Version)
            return $"the tree has version {artifact.Version}, the lock pins {pinned.Version}";
        // A repository has no sha256 in the lock (each package has one); in the manifest, its index's.
        if (pinned.Kind != ArtifactKind.PackageRepo && !string.Equals(pinned.Sha256, artifact.Sha256 ?? "", StringComparison.OrdinalIgnoreCase))
            return $"the tree has sha256 {Show(artifact.Sha256)}, the lock pins {Show(pinned.Sha256)}";
        if (pinned.Size != artifact.Size)
            return $"the tree has {artifact.Size:N0} bytes, the lock pins {pinned.Size:N0}";
        return null;
    }

    public static string Words(ArtifactKind kind) => kind switch
    {
        ArtifactKind.PackageRepo => "package repository",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Show(string? sha256) => string.IsNullOrEmpty(sha256) ? "none" : sha256;

    internal static ArtifactRefusal Refusal(RefusalKind kind, TreeArtifact? artifact, string? path, string message) =>
        new() { Kind = kind, Artifact = artifact?.Name, Version = artifact?.Version, Path = path, Message = message };
}
