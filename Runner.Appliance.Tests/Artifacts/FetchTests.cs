using System.IO.Compression;
using System.Text.Json;
using Runner.Appliance.Features.Artifacts;
using Runner.Appliance.Features.Artifacts.Fetch;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary><c>artifacts fetch</c> against a loopback HTTP server and registry: the tree, its manifest, refusals, resuming.</summary>
public sealed class FetchTests(FetchBed bed) : IClassFixture<FetchBed>, IDisposable
{
    private readonly TempDirectory _work = new();

    private string Tree => Path.Combine(_work.Path, "tree");

    [Fact]
    public async Task Fetch_WritesTheTree_AndAManifestListingEveryFileWithItsSha256()
    {
        var lockPath = bed.WriteLock(_work.Path);

        var (failures, report, output) = await FetchBed.FetchAsync(bed.Options(lockPath, Tree));

        Assert.True(failures.Count == 0, string.Join("\n", failures) + output);
        var manifest = TreeManifest.Read(Tree);
        Assert.Equal(1, manifest.Version);
        Assert.Equal(TestArtifacts.Sha256(lockPath), manifest.Lock.Sha256);
        Assert.Equal(["tool", "hello-chart", "site-debian", "hello"], manifest.Artifacts.Select(a => a.Name));
        Assert.Equal([ArtifactKind.File, ArtifactKind.Chart, ArtifactKind.PackageRepo, ArtifactKind.Image], manifest.Artifacts.Select(a => a.Kind));
        Assert.Equal(["files/tool/tool-1.0.bin"], manifest.Artifacts[0].Files);
        Assert.Equal(["charts/hello-chart/hello-0.1.0.tgz"], manifest.Artifacts[1].Files);
        Assert.Equal(["repos/site-debian/runner-hello_1.0-1_all.deb", "repos/site-debian/Packages", "repos/site-debian/Packages.gz"], manifest.Artifacts[2].Files);
        Assert.Equal(["images/hello/oci-layout", "images/hello/index.json"], manifest.Artifacts[3].Files.Take(2));
        Assert.Equal(3, manifest.Artifacts[3].Files.Count(f => f.StartsWith("images/hello/blobs/sha256/", StringComparison.Ordinal)));
        Assert.Equal(TestArtifacts.Sha256(bed.Release), manifest.Artifacts[0].Sha256);
        Assert.Equal(bed.ImageDigest, manifest.Artifacts[3].Sha256);
        Assert.Equal(TestArtifacts.Sha256(Path.Combine(Tree, "repos/site-debian/Packages")), manifest.Artifacts[2].Sha256);
        Assert.Equal("package-repo", JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Tree, "manifest.json"))).RootElement.GetProperty("artifacts")[2].GetProperty("kind").GetString());

        // Every file of the tree is listed with its real sha256 and size, and nothing else is there.
        foreach (var file in manifest.Files)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(Tree, file.Path));
            Assert.True(TestArtifacts.Sha256(bytes) == file.Sha256, file.Path);
            Assert.Equal(bytes.Length, file.Size);
        }
        Assert.Equal(manifest.Artifacts.SelectMany(a => a.Files).Order(StringComparer.Ordinal), manifest.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        var onDisk = Directory.EnumerateFiles(Tree, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Tree, f)).Order(StringComparer.Ordinal);
        Assert.Equal(manifest.Files.Select(f => f.Path).Concat([".fetch-state.json", "manifest.json", "manifest.json.sha256"]).Order(StringComparer.Ordinal), onDisk);
        Assert.Equal($"{TestArtifacts.Sha256(Path.Combine(Tree, "manifest.json"))}  manifest.json\n", await File.ReadAllTextAsync(Path.Combine(Tree, "manifest.json.sha256")));
        Assert.Equal(bed.Release, await File.ReadAllBytesAsync(Path.Combine(Tree, "files/tool/tool-1.0.bin")));
        Assert.Equal(3, report.FilesDownloaded); // the file, the chart, the package; the image came through skopeo
        Assert.Equal(2, report.ToolRuns);        // skopeo copy, dpkg-scanpackages
        Assert.Contains("MB/s", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDebianRepository_ListsItsPackage_AndTheImage_ReadsBackWithSkopeo()
    {
        var (failures, _, output) = await FetchBed.FetchAsync(bed.Options(bed.WriteLock(_work.Path), Tree, "site-debian", "hello"));

        Assert.True(failures.Count == 0, string.Join("\n", failures) + output);
        using (var gzip = new GZipStream(File.OpenRead(Path.Combine(Tree, "repos/site-debian/Packages.gz")), CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip))
        {
            var packages = await reader.ReadToEndAsync();
            Assert.Contains("Package: runner-hello\n", packages, StringComparison.Ordinal);
            Assert.Contains("Version: 1.0-1\n", packages, StringComparison.Ordinal);
            Assert.Contains("Filename: ./runner-hello_1.0-1_all.deb\n", packages, StringComparison.Ordinal);
            Assert.Contains($"SHA256: {TestArtifacts.Sha256(bed.Deb)}\n", packages, StringComparison.Ordinal);
        }
        var inspect = JsonDocument.Parse(PeerProcess.Run("skopeo", ["inspect", $"oci:{Tree}/images/hello:1.0"])).RootElement;
        Assert.Equal($"sha256:{bed.ImageDigest}", inspect.GetProperty("Digest").GetString());
        Assert.Equal("amd64", inspect.GetProperty("Architecture").GetString());
        // --only into a new tree: it holds what was asked for.
        Assert.Equal(["site-debian", "hello"], TreeManifest.Read(Tree).Artifacts.Select(a => a.Name));
        Assert.False(Directory.Exists(Path.Combine(Tree, "files")));
    }

    [Fact]
    public async Task ASecondFetch_DownloadsNothing_AndAsksNoServer()
    {
        var lockPath = bed.WriteLock(_work.Path);
        var registryBefore = bed.Registry.Requests;
        var first = await FetchBed.FetchAsync(bed.Options(lockPath, Tree));
        Assert.True(first.Failures.Count == 0, string.Join("\n", first.Failures) + first.Output);
        var (requests, registryRequests) = (bed.Server.Requests.Count, bed.Registry.Requests);
        Assert.True(registryRequests > registryBefore, "the registry's access log counts the first fetch's requests");

        var (failures, report, output) = await FetchBed.FetchAsync(bed.Options(lockPath, Tree));

        Assert.True(failures.Count == 0, string.Join("\n", failures) + output);
        Assert.Equal(0, bed.Server.Requests.Count - requests);
        Assert.Equal(0, bed.Registry.Requests - registryRequests);
        Assert.Equal(0, report.FilesDownloaded);
        Assert.Equal(0, report.BytesDownloaded);
        Assert.Equal(0, report.ToolRuns);
        Assert.Equal(0, report.FilesRehashed);
        Assert.Equal(TreeManifest.Read(Tree).Files.Count, report.FilesPresent);
    }

    [Fact]
    public async Task AWrongSha256_IsRefused_NamingTheArtifact_AndNothingLooksComplete()
    {
        var wrong = new string('e', 64);
        var (failures, _, output) = await FetchBed.FetchAsync(bed.Options(bed.WriteLock(_work.Path, fileSha256: wrong), Tree));

        var failure = Assert.Single(failures);
        Assert.StartsWith("tool: sha256 mismatch", failure, StringComparison.Ordinal);
        Assert.Contains($"expected {wrong}, got {TestArtifacts.Sha256(bed.Release)}", failure, StringComparison.Ordinal);
        Assert.Contains("FAILED: tool", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Tree, "manifest.json")));
        Assert.False(File.Exists(Path.Combine(Tree, "manifest.json.sha256")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Tree, "files"), "*", SearchOption.AllDirectories));
        // The others were fetched; with the lock corrected only the file is asked for again.
        Assert.True(File.Exists(Path.Combine(Tree, "charts/hello-chart/hello-0.1.0.tgz")));
        var before = bed.Server.Requests.ToArray().Length;

        var retry = await FetchBed.FetchAsync(bed.Options(bed.WriteLock(_work.Path), Tree));

        Assert.True(retry.Failures.Count == 0, string.Join("\n", retry.Failures) + retry.Output);
        Assert.Equal([$"GET {FetchBed.FilePath}"], bed.Server.Requests.Skip(before));
        Assert.True(File.Exists(Path.Combine(Tree, "manifest.json")));
    }

    [Fact]
    public async Task AWrongImageDigest_IsRefused_AndTheCopyIsDeleted()
    {
        var wrong = new string('a', 64);
        var (failures, _, _) = await FetchBed.FetchAsync(bed.Options(bed.WriteLock(_work.Path, imageSha256: wrong), Tree, "hello"));

        var failure = Assert.Single(failures);
        Assert.StartsWith("hello: sha256 mismatch for the manifest", failure, StringComparison.Ordinal);
        Assert.Contains($"expected {wrong}, got {bed.ImageDigest}", failure, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Tree, "images/hello")));
        Assert.False(File.Exists(Path.Combine(Tree, "manifest.json")));
    }

    [Fact]
    public async Task AWrongPackageSha256_IsRefused_NamingTheRepository()
    {
        var wrong = new string('b', 64);
        var (failures, _, _) = await FetchBed.FetchAsync(bed.Options(bed.WriteLock(_work.Path, debSha256: wrong), Tree, "site-debian"));

        Assert.StartsWith("site-debian: sha256 mismatch for repos/site-debian/runner-hello_1.0-1_all.deb", Assert.Single(failures), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Tree, "repos/site-debian/Packages.gz")));
    }

    [Fact]
    public async Task ACorruptedFile_IsHashedAgain_AndOnlyItIsFetched()
    {
        var lockPath = bed.WriteLock(_work.Path);
        Assert.Empty((await FetchBed.FetchAsync(bed.Options(lockPath, Tree))).Failures);
        var chart = Path.Combine(Tree, "charts/hello-chart/hello-0.1.0.tgz");
        var bytes = await File.ReadAllBytesAsync(chart);
        bytes[^1] ^= 0xff;
        await File.WriteAllBytesAsync(chart, bytes); // same size, new time: the state no longer vouches for it
        var before = bed.Server.Requests.ToArray().Length;

        var (failures, report, output) = await FetchBed.FetchAsync(bed.Options(lockPath, Tree));

        Assert.True(failures.Count == 0, string.Join("\n", failures) + output);
        Assert.Equal([$"GET {FetchBed.ChartPath}"], bed.Server.Requests.Skip(before));
        Assert.Contains("charts/hello-chart/hello-0.1.0.tgz: corrupt (sha256", output, StringComparison.Ordinal);
        Assert.Equal(1, report.FilesDownloaded);
        Assert.Equal(bed.Chart, await File.ReadAllBytesAsync(chart));
    }

    [Fact]
    public async Task AnInterruptedDownload_IsContinuedWithARangeRequest()
    {
        const int Had = 1024 * 1024;
        Directory.CreateDirectory(Path.Combine(Tree, "files/tool"));
        await File.WriteAllBytesAsync(Path.Combine(Tree, ".fetch-state.json"), "{}"u8.ToArray()); // a tree an earlier run began
        await File.WriteAllBytesAsync(Path.Combine(Tree, "files/tool/tool-1.0.bin.part"), bed.Release[..Had]);
        var before = bed.Server.Requests.ToArray().Length;

        var (failures, report, output) = await FetchBed.FetchAsync(bed.Options(bed.WriteLock(_work.Path), Tree, "tool"));

        Assert.True(failures.Count == 0, string.Join("\n", failures) + output);
        Assert.Equal([$"GET {FetchBed.FilePath} Range: bytes={Had}-"], bed.Server.Requests.Skip(before));
        Assert.Equal(bed.Release.Length - Had, report.BytesDownloaded);
        Assert.Equal(bed.Release, await File.ReadAllBytesAsync(Path.Combine(Tree, "files/tool/tool-1.0.bin")));
        Assert.False(File.Exists(Path.Combine(Tree, "files/tool/tool-1.0.bin.part")));
        Assert.Contains("continuing after 1.0 MB", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APartFromAServerIgnoringRanges_IsReplacedByTheWholeFile()
    {
        Directory.CreateDirectory(Path.Combine(Tree, "files/tool"));
        await File.WriteAllBytesAsync(Path.Combine(Tree, ".fetch-state.json"), "{}"u8.ToArray());
        await File.WriteAllBytesAsync(Path.Combine(Tree, "files/tool/tool-1.0.bin.part"), bed.Release[..1000]);
        var lockPath = bed.WriteLock(_work.Path);
        await File.WriteAllTextAsync(lockPath, (await File.ReadAllTextAsync(lockPath)).Replace(FetchBed.FilePath, FetchBed.NoRangesPath, StringComparison.Ordinal));

        var (failures, report, output) = await FetchBed.FetchAsync(bed.Options(lockPath, Tree, "tool"));

        Assert.True(failures.Count == 0, string.Join("\n", failures) + output);
        Assert.Equal(bed.Release.Length, report.BytesDownloaded);
        Assert.Equal(bed.Release, await File.ReadAllBytesAsync(Path.Combine(Tree, "files/tool/tool-1.0.bin")));
    }

    [Fact]
    public async Task FetchingOnlyOne_KeepsTheOthersThatAreComplete_AndRemovesFilesNoArtifactLists()
    {
        var lockPath = bed.WriteLock(_work.Path);
        Assert.Empty((await FetchBed.FetchAsync(bed.Options(lockPath, Tree))).Failures);
        var stray = Path.Combine(Tree, "charts/hello-chart/hello-0.0.9.tgz");
        await File.WriteAllTextAsync(stray, "an older version");
        var before = bed.Server.Requests.ToArray().Length;

        var (failures, _, output) = await FetchBed.FetchAsync(bed.Options(lockPath, Tree, "tool"));

        Assert.True(failures.Count == 0, string.Join("\n", failures) + output);
        Assert.Empty(bed.Server.Requests.Skip(before));
        Assert.Equal(["tool", "hello-chart", "site-debian", "hello"], TreeManifest.Read(Tree).Artifacts.Select(a => a.Name));
        Assert.Contains("kept hello: complete from an earlier run", output, StringComparison.Ordinal);
        Assert.False(File.Exists(stray));
        Assert.Contains("removed charts/hello-chart/hello-0.0.9.tgz: no artifact of the manifest lists it", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADirectoryOfOtherFiles_IsNotTakenForATree()
    {
        Directory.CreateDirectory(Tree);
        await File.WriteAllTextAsync(Path.Combine(Tree, "notes.txt"), "mine");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => FetchBed.FetchAsync(bed.Options(bed.WriteLock(_work.Path), Tree)));

        Assert.Contains("is not empty and is no artifact tree", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Tree, "notes.txt")));
    }

    public void Dispose() => _work.Dispose();
}
