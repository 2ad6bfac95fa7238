namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// Whether a manifest's artifact is whole and consistent before anything is copied: its files inside its
/// folder, each with a sha256 and in the tree as a regular file, and what the kind implies (one file whose
/// sha256 is the artifact's; an OCI layout holding the pinned manifest; every pinned package of a repository).
/// </summary>
internal static class ManifestChecks
{
    public static IReadOnlyList<ArtifactRefusal> FileProblems(LockedArtifact pinned, TreeArtifact artifact,
        IReadOnlyDictionary<string, ManifestFile> files, IReadOnlyDictionary<string, TreeEntry> tree)
    {
        var name = artifact.Name;
        if (artifact.Path != pinned.Folder)
            return [ImportPlan.Refusal(RefusalKind.Invalid, artifact, null, $"{name}: its folder is {artifact.Path}; a {ImportPlan.Words(pinned.Kind)} named {name} belongs in {pinned.Folder}; not imported.")];
        if (artifact.Files.Count == 0)
            return [ImportPlan.Refusal(RefusalKind.Invalid, artifact, null, $"{name}: the manifest lists no file of it; not imported.")];
        var problems = new List<ArtifactRefusal>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in artifact.Files)
        {
            string? invalid = !ArtifactStore.IsSafe(path) || !path.StartsWith(pinned.Folder + "/", StringComparison.Ordinal) ? $"{path}: not a path inside {pinned.Folder}/"
                : !seen.Add(path) ? $"{path}: listed twice for {name}"
                : !files.TryGetValue(path, out var file) ? $"{path}: the manifest gives no sha256 and size for it"
                : file.Sha256.Length != 64 || !file.Sha256.All(Uri.IsHexDigit) || file.Size < 0 ? $"{path}: its sha256 or size in the manifest is not one"
                : tree.TryGetValue(path, out var entry) && !entry.Regular ? $"{path}: a symbolic link or a special file; only regular files are imported"
                : null;
            if (invalid is not null)
                problems.Add(ImportPlan.Refusal(RefusalKind.Invalid, artifact, path, $"{invalid}; {name} not imported."));
            else if (!tree.ContainsKey(path))
                problems.Add(ImportPlan.Refusal(RefusalKind.Missing, artifact, path, $"{path}: listed by the manifest for {name}, but not in the tree; {name} not imported."));
        }
        return [.. problems.DistinctBy(p => p.Message)];
    }

    public static string? ContentProblem(LockedArtifact pinned, TreeArtifact artifact, IReadOnlyDictionary<string, ManifestFile> files)
    {
        var mine = artifact.Files.Select(f => files[f]).ToList();
        switch (pinned.Kind)
        {
            case ArtifactKind.Image:
                var blobs = $"{pinned.Folder}/blobs/sha256/";
                if (!artifact.Files.Contains($"{pinned.Folder}/oci-layout") || !artifact.Files.Contains($"{pinned.Folder}/index.json"))
                    return "an image is an OCI layout (oci-layout, index.json, blobs/sha256/…), and the manifest lists no oci-layout or index.json";
                if (!artifact.Files.Contains(blobs + pinned.Sha256.ToLowerInvariant()))
                    return $"its OCI layout has no blob {pinned.Sha256}, the image manifest the lock pins";
                if (mine.FirstOrDefault(f => f.Path.StartsWith(blobs, StringComparison.Ordinal) && !string.Equals(f.Path[blobs.Length..], f.Sha256, StringComparison.OrdinalIgnoreCase)) is { } misnamed)
                    return $"{misnamed.Path}: a blob is named by its sha256, and the manifest gives it {misnamed.Sha256}";
                return null;
            case ArtifactKind.PackageRepo:
                var index = $"{pinned.Folder}/{(pinned.Os == "rhel9" ? "repodata/repomd.xml" : "Packages")}";
                if (mine.FirstOrDefault(f => f.Path == index) is not { } indexFile)
                    return $"a {pinned.Os} repository has {index[(pinned.Folder.Length + 1)..]}, and the manifest lists none";
                if (!string.Equals(indexFile.Sha256, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
                    return $"its sha256 is to be that of {index[(pinned.Folder.Length + 1)..]} ({indexFile.Sha256}), and the manifest says {artifact.Sha256 ?? "none"}";
                var hashes = mine.Select(f => f.Sha256).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var absent = pinned.Source.Packages.Where(p => !hashes.Contains(p.Sha256)).Select(p => $"{p.Name} {p.Version}").ToList();
                return absent.Count == 0 ? null : $"the lock pins package{(absent.Count > 1 ? "s" : "")} {string.Join(", ", absent.Take(5))}{(absent.Count > 5 ? ", …" : "")}, which the repository does not hold";
            default:
                if (mine.Count != 1)
                    return $"a {ImportPlan.Words(pinned.Kind)} is one file, and the manifest lists {mine.Count}";
                return string.Equals(mine[0].Sha256, pinned.Sha256, StringComparison.OrdinalIgnoreCase) ? null
                    : $"its file has sha256 {mine[0].Sha256} in the manifest, and the artifact {pinned.Sha256}";
        }
    }
}
