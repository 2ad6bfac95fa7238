namespace Runner.Appliance.Features.Artifacts;

/// <summary>The artifacts some roles need, each once, in the order the roles first name them, and their total size.</summary>
public sealed record ArtifactPlan(IReadOnlyList<LockedArtifact> Artifacts)
{
    public long TotalBytes => Artifacts.Sum(a => a.Size);

    public IReadOnlyList<string> Names => [.. Artifacts.Select(a => a.Name)];

    /// <param name="names">The roles' declarations in plan order; every name is in the lock (the catalog loader refused any other).</param>
    public static ArtifactPlan Of(IEnumerable<string> names, ArtifactLock artifactLock)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var artifacts = new List<LockedArtifact>();
        foreach (var name in names.Where(seen.Add))
            artifacts.Add(artifactLock.Artifact(name) ?? throw new InvalidOperationException($"Artifact '{name}' is not in the lock."));
        return new(artifacts);
    }
}
