using System.Security.Cryptography;
using System.Text.Json;

namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>
/// <c>artifacts fetch</c>: every artifact of the lock (or of <see cref="FetchOptions.Only"/>) into one tree,
/// each proven against its pin, then manifest.json. Resumable: what is there and intact stays, a file
/// whose size and time are those last verified is not read again, a <c>.part</c> is continued. An artifact
/// that fails does not stop the others; while any has failed, the tree has no manifest.json (a tree
/// without one is never complete).
/// </summary>
public sealed class ArtifactFetcher(HttpClient http, TextWriter output, FetchOptions options)
{
    /// <summary>What the tree holds besides the artifacts' folders.</summary>
    private static readonly string[] OwnFiles = [TreeManifest.FileName, TreeManifest.ChecksumFileName, FetchState.FileName];

    public FetchReport Report { get; } = new(output, options.ProgressInterval);

    /// <summary>Fetches; the failures, each naming its artifact (empty: the tree and its manifest are complete).</summary>
    /// <exception cref="InvalidDataException">The lock breaks its rules, or --only names what it lacks.</exception>
    public async Task<IReadOnlyList<string>> FetchAsync(CancellationToken ct)
    {
        var artifactLock = ArtifactLock.Load(options.LockPath);
        var selection = Select(artifactLock);
        var tree = options.OutDirectory;
        PrepareTree(tree);
        var state = FetchState.Load(tree);
        var files = new FileFetcher(http, state, Report, options);
        var images = new ImageFetcher(state, Report, options);
        var repositories = new PackageRepository(files, state, Report);
        var fetched = new List<(LockedArtifact Artifact, FetchedArtifact Content)>();
        var failures = new List<string>();
        foreach (var artifact in selection)
        {
            Report.StartArtifact(artifact);
            var entry = Fingerprint(artifact);
            try
            {
                var complete = Complete(state, artifact, entry);
                foreach (var file in complete?.Files ?? [])
                    Report.Present(state.Files[file].Size, rehashed: false);
                var content = complete ?? artifact.Kind switch
                {
                    ArtifactKind.Image => await images.FetchAsync(artifact, ct),
                    ArtifactKind.PackageRepo => await repositories.FetchAsync(artifact, ct),
                    _ => await FetchFileAsync(files, artifact, ct),
                };
                state.Artifacts[artifact.Name] = new CompleteArtifact(entry, content.Sha256, content.Size, content.Files);
                fetched.Add((artifact, content));
                Report.EndArtifact(artifact.Name, content.Files.Count, complete is not null);
            }
            catch (FetchException e)
            {
                state.Artifacts.Remove(artifact.Name);
                failures.Add(e.Message);
                Report.Failed(e.Message);
            }
            await state.SaveAsync(tree, ct);
        }
        if (failures.Count == 0)
        {
            var inTree = new List<(LockedArtifact Artifact, FetchedArtifact Content)>();
            foreach (var artifact in artifactLock.Artifacts)
            {
                var index = fetched.FindIndex(f => f.Artifact == artifact);
                if (index >= 0)
                    inTree.Add(fetched[index]);
                else if (Kept(state, artifact) is { } kept)
                    inTree.Add(kept);
            }
            Prune(tree, state, inTree.SelectMany(f => f.Content.Files).ToHashSet(StringComparer.Ordinal));
            await state.SaveAsync(tree, ct);
            await Manifest(artifactLock, inTree, state).WriteAsync(tree, ct);
            Report.Summary(inTree.Count, 0, tree);
        }
        else
            Report.Summary(selection.Count, failures.Count, tree);
        return failures;
    }

    private IReadOnlyList<LockedArtifact> Select(ArtifactLock artifactLock)
    {
        if (options.Only.Count == 0)
            return artifactLock.Artifacts;
        var unknown = options.Only.Where(n => artifactLock.Artifact(n) is null).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"--only names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which {options.LockPath} lacks.");
        return [.. artifactLock.Artifacts.Where(a => options.Only.Contains(a.Name))];
    }

    /// <summary>A new, empty or earlier tree only (never a directory of other files, which pruning would empty); no manifest while it is worked on.</summary>
    private static void PrepareTree(string tree)
    {
        if (Directory.Exists(tree) && Directory.EnumerateFileSystemEntries(tree).Any()
            && !File.Exists(Path.Combine(tree, FetchState.FileName)) && !File.Exists(Path.Combine(tree, TreeManifest.FileName)))
            throw new InvalidDataException($"{tree} is not empty and is no artifact tree (no {FetchState.FileName}): give a new or empty directory.");
        Directory.CreateDirectory(tree);
        File.Delete(Path.Combine(tree, TreeManifest.FileName));
        File.Delete(Path.Combine(tree, TreeManifest.ChecksumFileName));
    }

    /// <summary>With --only, an artifact of the lock not asked for but complete from an earlier run stays in the tree and its manifest.</summary>
    private (LockedArtifact Artifact, FetchedArtifact Content)? Kept(FetchState state, LockedArtifact artifact)
    {
        if (Complete(state, artifact, Fingerprint(artifact)) is not { } complete)
            return null;
        Report.Note($"kept {artifact.Name}: complete from an earlier run");
        return (artifact, complete);
    }

    /// <summary>The artifact as last found complete, when its lock entry is the same and none of its files changed since: nothing to read or ask.</summary>
    private FetchedArtifact? Complete(FetchState state, LockedArtifact artifact, string entry) =>
        state.Artifacts.TryGetValue(artifact.Name, out var known) && known.LockEntry == entry && known.Files.All(f => state.Unchanged(options.OutDirectory, f) is not null)
            ? new FetchedArtifact(known.Sha256, known.Size, known.Files)
            : null;

    private static async Task<FetchedArtifact> FetchFileAsync(FileFetcher files, LockedArtifact artifact, CancellationToken ct)
    {
        var relative = $"{artifact.Folder}/{artifact.FileName}";
        await files.EnsureAsync(artifact.Name, relative, artifact.Source.Url!, artifact.Sha256, artifact.Size, ct);
        return new FetchedArtifact(artifact.Sha256, artifact.Size, [relative]);
    }

    /// <summary>Files of the tree that no artifact of the manifest lists (an older version, a .part, an artifact the lock dropped) would make the import refuse the tree.</summary>
    private void Prune(string tree, FetchState state, HashSet<string> keep)
    {
        foreach (var kind in Enum.GetValues<ArtifactKind>().Select(LockedArtifact.KindFolder).Distinct())
        {
            var folder = Path.Combine(tree, kind);
            if (!Directory.Exists(folder))
                continue;
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList())
            {
                var relative = Path.GetRelativePath(tree, path).Replace('\\', '/');
                if (keep.Contains(relative))
                    continue;
                File.Delete(path);
                Report.Note($"removed {relative}: no artifact of the manifest lists it");
            }
            foreach (var directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(folder))
                if (!Directory.EnumerateFileSystemEntries(directory).Any())
                    Directory.Delete(directory);
        }
        foreach (var gone in state.Files.Keys.Where(k => !keep.Contains(k)).ToList())
            state.Files.Remove(gone);
        foreach (var gone in state.Artifacts.Where(a => a.Value.Files.Any(f => !keep.Contains(f))).Select(a => a.Key).ToList())
            state.Artifacts.Remove(gone);
        var kinds = Enum.GetValues<ArtifactKind>().Select(LockedArtifact.KindFolder).ToHashSet(StringComparer.Ordinal);
        foreach (var other in Directory.EnumerateFileSystemEntries(tree).Select(p => Path.GetFileName(p)).Where(n => !OwnFiles.Contains(n) && !kinds.Contains(n)))
            Report.Note($"left alone: {other}, which is not part of an artifact tree (the import will refuse it)");
    }

    private static TreeManifest Manifest(ArtifactLock artifactLock, List<(LockedArtifact Artifact, FetchedArtifact Content)> fetched, FetchState state) => new(
        1, WholeSeconds(DateTime.UtcNow), new ManifestLock(artifactLock.FileSha256),
        [.. fetched.Select(f => new ManifestArtifact(f.Artifact.Name, f.Artifact.Kind, f.Artifact.Version, f.Content.Sha256, f.Content.Size, f.Artifact.Folder, f.Content.Files))],
        [.. fetched.SelectMany(f => f.Content.Files).Distinct(StringComparer.Ordinal).Select(p => new ManifestFile(p, state.Files[p].Sha256, state.Files[p].Size))]);

    private static DateTime WholeSeconds(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    /// <summary>The lock entry as a digest: an artifact is complete only for the entry it was fetched for.</summary>
    private static string Fingerprint(LockedArtifact artifact) => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(artifact)));
}
