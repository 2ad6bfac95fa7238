namespace Runner.Appliance.Features.Artifacts;

/// <summary>What the lock's JSON Schema cannot say: names unique, file names a tree can hold, a repository's size its packages' sum.</summary>
public static class LockRules
{
    public static List<string> Check(ArtifactLock artifactLock)
    {
        var problems = new List<string>();
        foreach (var duplicate in artifactLock.Artifacts.GroupBy(a => a.Name).Where(g => g.Count() > 1))
            problems.Add($"artifact '{duplicate.Key}' appears {duplicate.Count()} times: names are unique.");
        foreach (var artifact in artifactLock.Artifacts)
        {
            if (artifact.Kind is (ArtifactKind.File or ArtifactKind.Chart or ArtifactKind.Collection or ArtifactKind.Wheel) && artifact.FileName == "")
                problems.Add($"artifact '{artifact.Name}': source.url '{artifact.Source.Url}' ends in no file name (the tree keeps the file under that name).");
            if (artifact.Kind is ArtifactKind.PackageRepo)
                problems.AddRange(CheckRepository(artifact));
        }
        return problems;
    }

    private static IEnumerable<string> CheckRepository(LockedArtifact repo)
    {
        if (repo.Sha256 != "")
            yield return $"artifact '{repo.Name}' (package-repo) has a sha256: a repository has none of its own, each package has one.";
        var sum = repo.Source.Packages.Sum(p => p.Size);
        if (repo.Size != sum)
            yield return $"artifact '{repo.Name}' (package-repo) has size {repo.Size}, but its packages add up to {sum}.";
        foreach (var package in repo.Source.Packages.Where(p => p.FileName == ""))
            yield return $"artifact '{repo.Name}': package '{package.Name}' has url '{package.Url}', which ends in no file name.";
        foreach (var clash in repo.Source.Packages.Where(p => p.FileName != "").GroupBy(p => p.FileName).Where(g => g.Count() > 1))
            yield return $"artifact '{repo.Name}': {clash.Count()} packages would be the file '{clash.Key}'.";
        var suffix = repo.Os == "rhel9" ? ".rpm" : ".deb";
        foreach (var package in repo.Source.Packages.Where(p => p.FileName != "" && !p.FileName.EndsWith(suffix, StringComparison.Ordinal)))
            yield return $"artifact '{repo.Name}' ({repo.Os}): package file '{package.FileName}' is not a {suffix}.";
    }
}
