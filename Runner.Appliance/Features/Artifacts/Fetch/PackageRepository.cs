using System.IO.Compression;

namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>
/// A package-repo: each package fetched like a file into <c>repos/&lt;name&gt;/</c>, then the repository
/// metadata built from exactly those packages: debian12 a flat repository (<c>dpkg-scanpackages --multiversion</c>
/// → Packages, Packages.gz; the appliance signs it when storing it, ADR 0017), rhel9 <c>createrepo_c</c>'s
/// repodata/. Its manifest sha256 is that of the index a client reads first (Packages, repodata/repomd.xml),
/// which lists every package's sha256.
/// </summary>
public sealed class PackageRepository(FileFetcher files, FetchState state, FetchReport report)
{
    public async Task<FetchedArtifact> FetchAsync(LockedArtifact repo, CancellationToken ct)
    {
        var folder = Path.Combine(files.Tree, repo.Folder);
        foreach (var package in repo.Source.Packages)
            await files.EnsureAsync(repo.Name, $"{repo.Folder}/{package.FileName}", package.Url, package.Sha256, package.Size, ct);
        RemoveOtherPackages(folder, repo);
        var metadata = repo.Os == "rhel9" ? await CreateRepoAsync(repo, folder, ct) : await ScanPackagesAsync(repo, folder, ct);
        List<string> all = [.. repo.Source.Packages.Select(p => $"{repo.Folder}/{p.FileName}"), .. metadata];
        foreach (var file in metadata)
            await state.HashAsync(files.Tree, file, ct);
        var index = repo.Os == "rhel9" ? $"{repo.Folder}/repodata/repomd.xml" : $"{repo.Folder}/Packages";
        return new FetchedArtifact(await state.HashAsync(files.Tree, index, ct), repo.Size, all);
    }

    /// <summary>A package of an earlier lock would land in the metadata: only the locked ones stay.</summary>
    private void RemoveOtherPackages(string folder, LockedArtifact repo)
    {
        var locked = repo.Source.Packages.Select(p => p.FileName).ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".deb", StringComparison.Ordinal) || f.EndsWith(".rpm", StringComparison.Ordinal)))
        {
            if (locked.Contains(Path.GetFileName(path)))
                continue;
            File.Delete(path);
            report.Note($"removed {Path.GetFileName(path)}: not a package of the lock");
        }
    }

    private async Task<IReadOnlyList<string>> ScanPackagesAsync(LockedArtifact repo, string folder, CancellationToken ct)
    {
        report.Tool("dpkg-scanpackages", $"--multiversion . -> {repo.Folder}/Packages(.gz)");
        var scan = await ToolRunner.RunAsync("dpkg-scanpackages", ["--multiversion", ".", "/dev/null"], folder, ct);
        if (scan.ExitCode != 0)
            throw new FetchException($"{repo.Name}: dpkg-scanpackages failed (exit {scan.ExitCode}): {scan.Tail}");
        var listed = scan.Output.Split('\n').Count(l => l.StartsWith("Filename: ", StringComparison.Ordinal));
        if (listed != repo.Source.Packages.Count)
            throw new FetchException($"{repo.Name}: dpkg-scanpackages listed {listed} of the {repo.Source.Packages.Count} packages: {scan.Tail}");
        await File.WriteAllTextAsync(Path.Combine(folder, "Packages"), scan.Output, ct);
        // gzip of the same bytes; .NET writes no name or time into the header, so the file depends on the content alone.
        await using (var source = File.OpenRead(Path.Combine(folder, "Packages")))
        await using (var target = File.Create(Path.Combine(folder, "Packages.gz")))
        await using (var gzip = new GZipStream(target, CompressionLevel.SmallestSize))
            await source.CopyToAsync(gzip, ct);
        return [$"{repo.Folder}/Packages", $"{repo.Folder}/Packages.gz"];
    }

    private async Task<IReadOnlyList<string>> CreateRepoAsync(LockedArtifact repo, string folder, CancellationToken ct)
    {
        var repodata = Path.Combine(folder, "repodata");
        if (Directory.Exists(repodata))
            Directory.Delete(repodata, recursive: true); // built from these packages only, never updated in place
        report.Tool("createrepo_c", $". -> {repo.Folder}/repodata");
        var create = await ToolRunner.RunAsync("createrepo_c", ["--quiet", "."], folder, ct);
        if (create.ExitCode != 0 || !File.Exists(Path.Combine(repodata, "repomd.xml")))
            throw new FetchException($"{repo.Name}: createrepo_c failed (exit {create.ExitCode}): {create.Tail}");
        return [.. Directory.EnumerateFiles(repodata).Order(StringComparer.Ordinal).Select(f => $"{repo.Folder}/repodata/{Path.GetFileName(f)}")];
    }
}
