namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>One <c>artifacts fetch</c>: which lock, into which tree, which of its artifacts.</summary>
/// <param name="Only">Names of the lock to fetch; empty: all. Other artifacts of the lock that the tree holds complete from an earlier run stay in it (and its manifest); nothing else does.</param>
/// <param name="InsecureRegistries">Registry hosts (host:port) reached over plain HTTP or an untrusted certificate, as skopeo's --src-tls-verify=false.</param>
public sealed record FetchOptions(string LockPath, string OutDirectory, IReadOnlyList<string> Only, IReadOnlyList<string> InsecureRegistries)
{
    /// <summary>A download that receives nothing for this long is abandoned (its .part kept for the next run).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a long download prints its progress.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);
}
