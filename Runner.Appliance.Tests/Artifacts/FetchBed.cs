using Runner.Appliance.Features.Artifacts.Fetch;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>
/// A build machine's upstream on loopback, made once per test class: an HTTP server with a 4 MiB release
/// file, a chart and a Debian package, and a distribution registry holding a tiny OCI image (pushed with
/// skopeo). <see cref="WriteLock"/> pins all four, with a wrong sha256 where a test wants one.
/// </summary>
public sealed class FetchBed : IAsyncLifetime
{
    public const string FilePath = "/releases/tool/1.0/tool-1.0.bin";
    /// <summary>The same file from a server that ignores Range requests.</summary>
    public const string NoRangesPath = "/no-ranges/tool-1.0.bin";
    public const string ChartPath = "/charts/hello-0.1.0.tgz";
    public const string DebPath = "/debian/pool/main/r/runner-hello/runner-hello_1.0-1_all.deb";
    public const string ImageRepository = "test/hello";

    private readonly TempDirectory _work = new();

    public ArtifactServer Server { get; private set; } = default!;
    public DistributionRegistry Registry { get; private set; } = default!;
    public byte[] Release { get; private set; } = [];
    public byte[] Chart { get; private set; } = [];
    public byte[] Deb { get; private set; } = [];
    public string ImageDigest { get; private set; } = "";
    public long ImageSize { get; private set; }

    public async Task InitializeAsync()
    {
        Release = TestArtifacts.RandomFile(4 * 1024 * 1024, seed: 14);
        Chart = TestArtifacts.Chart(_work.Path, "hello", "0.1.0");
        Deb = TestArtifacts.DebianPackage(_work.Path, "runner-hello", "1.0-1");
        Server = await ArtifactServer.StartAsync();
        Server.Serve(FilePath, Release);
        Server.Serve(NoRangesPath, Release, ranges: false);
        Server.Serve(ChartPath, Chart);
        Server.Serve(DebPath, Deb);
        var layout = Path.Combine(_work.Path, "image");
        (ImageDigest, ImageSize) = TestArtifacts.OciImage(layout, "1.0");
        Registry = new DistributionRegistry();
        Registry.Push(layout, "1.0", ImageRepository);
    }

    /// <summary>A lock pinning the four artifacts (names tool, hello-chart, site-debian, hello); a sha256 given replaces the right one.</summary>
    public string WriteLock(string directory, string? fileSha256 = null, string? imageSha256 = null, string? debSha256 = null)
    {
        var path = Path.Combine(directory, "artifacts.lock.yml");
        File.WriteAllText(path, $"""
            version: 1
            artifacts:
              - name: tool
                kind: file
                version: "1.0"
                sha256: {fileSha256 ?? TestArtifacts.Sha256(Release)}
                size: {Release.Length}
                source:
                  url: {Server.UrlOf(FilePath)}
              - name: hello-chart
                kind: chart
                version: 0.1.0
                sha256: {TestArtifacts.Sha256(Chart)}
                size: {Chart.Length}
                source:
                  url: {Server.UrlOf(ChartPath)}
              - name: site-debian
                kind: package-repo
                version: "2026-12-01"
                os: debian12
                size: {Deb.Length}
                source:
                  packages:
                    - name: runner-hello
                      version: 1.0-1
                      arch: all
                      url: {Server.UrlOf(DebPath)}
                      sha256: {debSha256 ?? TestArtifacts.Sha256(Deb)}
                      size: {Deb.Length}
              - name: hello
                kind: image
                version: "1.0"
                sha256: {imageSha256 ?? ImageDigest}
                size: {ImageSize}
                source:
                  image: {Registry.Host}/{ImageRepository}:1.0

            """);
        return path;
    }

    public FetchOptions Options(string lockPath, string tree, params string[] only) =>
        new(lockPath, tree, only, [Registry.Host]) { ProgressInterval = TimeSpan.FromMilliseconds(200) };

    /// <summary>One fetch as the command runs it (a fresh HttpClient), with what it printed.</summary>
    public static async Task<(IReadOnlyList<string> Failures, FetchReport Report, string Output)> FetchAsync(FetchOptions options)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var output = new StringWriter();
        var fetcher = new ArtifactFetcher(http, output, options);
        var failures = await fetcher.FetchAsync(CancellationToken.None);
        return (failures, fetcher.Report, output.ToString());
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
        Registry?.Dispose();
        _work.Dispose();
    }
}
