using Runner.Appliance.Features.Artifacts;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Artifacts;

public sealed class ArtifactLockTests : IDisposable
{
    private static readonly string Sha = new('a', 64);
    private readonly TempDirectory _work = new();

    [Fact]
    public void TheShippedLock_PassesItsSchema()
    {
        var shipped = ArtifactLock.Load(Repository.PathOf("ansible", ArtifactLock.FileName));

        Assert.Equal(1, shipped.Version);
        Assert.Equal(TestArtifacts.Sha256(Repository.PathOf("ansible", ArtifactLock.FileName)), shipped.FileSha256);
    }

    [Fact]
    public void ALockOfEveryKind_Loads_AsTheContractSays()
    {
        var loaded = ArtifactLock.Load(Write($$"""
            version: 1
            artifacts:
              - {{FileEntry("rke2", "https://example.invalid/rke2/rke2.linux-amd64.tar.gz")}}
              - name: registry
                kind: image
                version: 2.8.3
                sha256: {{Sha}}
                size: 10
                source: { image: "docker.io/library/registry:2.8.3" }
              - name: site-rhel
                kind: package-repo
                version: "2026-12-01"
                os: rhel9
                size: 7
                source:
                  packages:
                    - { name: chrony, version: 4.5-3.el9, arch: x86_64, url: "https://example.invalid/chrony-4.5-3.el9.x86_64.rpm", sha256: {{Sha}}, size: 7 }
            """));

        Assert.Equal([ArtifactKind.File, ArtifactKind.Image, ArtifactKind.PackageRepo], loaded.Artifacts.Select(a => a.Kind));
        Assert.Equal("rke2.linux-amd64.tar.gz", loaded.Artifact("rke2")!.FileName);
        Assert.Equal("files/rke2", loaded.Artifact("rke2")!.Folder);
        Assert.Equal("chrony-4.5-3.el9.x86_64.rpm", loaded.Artifact("site-rhel")!.Source.Packages[0].FileName);
        Assert.Equal("2026-12-01", loaded.Artifact("site-rhel")!.Version);
    }

    [Fact]
    public void ABrokenLock_IsRefused_WithEveryProblemNamed_WhereItIs()
    {
        var path = Write($$"""
            version: 1
            artifacts:
              - name: blobby
                kind: blob
                version: "1"
                sha256: {{Sha}}
                size: 1
                source: { url: "https://example.invalid/b.bin" }
              - name: short-sum
                kind: file
                version: "1"
                sha256: ABC123
                size: -1
                source: { url: "https://example.invalid/s.bin" }
              - name: no-url
                kind: chart
                version: "1"
                sha256: {{Sha}}
                size: 1
                source: {}
              - name: Bad_Name
                kind: wheel
                version: "1"
                sha256: {{Sha}}
                size: 1
                source: { url: "https://example.invalid/w.whl" }
            """);

        var error = Assert.Throws<InvalidDataException>(() => ArtifactLock.Load(path)).Message;

        Assert.Contains($"{path} breaks the lock rules", error, StringComparison.Ordinal);
        Assert.Contains("artifacts[0] 'blobby'.kind (line 4)", error, StringComparison.Ordinal);
        Assert.Contains("\"file\", \"image\", \"chart\", \"package-repo\", \"collection\", \"wheel\"", error, StringComparison.Ordinal);
        Assert.Contains("artifacts[1] 'short-sum'.sha256 (line 12)", error, StringComparison.Ordinal);
        Assert.Contains("artifacts[1] 'short-sum'.size (line 13)", error, StringComparison.Ordinal);
        Assert.Contains("artifacts[2] 'no-url'.source (line 20)", error, StringComparison.Ordinal);
        Assert.Contains("url", error.Split('\n').Single(l => l.Contains("'no-url'.source", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("artifacts[3] 'Bad_Name'.name (line 21)", error, StringComparison.Ordinal);
        Assert.Contains("^[0-9a-f]{64}$", error, StringComparison.Ordinal); // the pattern a value missed is named
        Assert.True(error.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)) == 5, error); // those five, and no noise from the kinds' if/then
    }

    [Fact]
    public void DuplicateNames_AndARepositoryWhosePackagesDoNotAddUp_AreRefused()
    {
        var path = Write($$"""
            version: 1
            artifacts:
              - {{FileEntry("twice", "https://example.invalid/a.bin")}}
              - {{FileEntry("twice", "https://example.invalid/b.bin")}}
              - name: repo
                kind: package-repo
                version: "1"
                os: debian12
                size: 99
                source:
                  packages:
                    - { name: a, version: "1", arch: all, url: "https://example.invalid/a_1_all.deb", sha256: {{Sha}}, size: 7 }
            """);

        var error = Assert.Throws<InvalidDataException>(() => ArtifactLock.Load(path)).Message;

        Assert.Contains("artifact 'twice' appears 2 times", error, StringComparison.Ordinal);
        Assert.Contains("artifact 'repo' (package-repo) has size 99, but its packages add up to 7", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AVersionYamlReadsAsANumber_IsRefused_SayingToQuoteIt()
    {
        var error = Assert.Throws<InvalidDataException>(() => ArtifactLock.Load(Write($"version: 1\nartifacts:\n  - {FileEntry("a", "https://example.invalid/a.bin").Replace("\"1\"", "2026", StringComparison.Ordinal)}\n"))).Message;

        Assert.Contains("artifacts[0] 'a'.version (line 3)", error, StringComparison.Ordinal);
        Assert.Contains("write it in quotes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ALockThatIsNotYaml_IsRefused_WithItsLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => ArtifactLock.Load(Write("version: 1\nartifacts: [\n  - {\n"))).Message;

        Assert.Contains("not valid YAML at line", error, StringComparison.Ordinal);
    }

    private static string FileEntry(string name, string url) => $"{{ name: {name}, kind: file, version: \"1\", sha256: {Sha}, size: 1, source: {{ url: \"{url}\" }} }}";

    private string Write(string yaml)
    {
        var path = Path.Combine(_work.Path, $"{Guid.NewGuid():N}.lock.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Dispose() => _work.Dispose();
}
