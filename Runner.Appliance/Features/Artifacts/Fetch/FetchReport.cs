using System.Diagnostics;
using System.Globalization;

namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>
/// What a fetch prints (per artifact: files, bytes, rate; a progress line every few seconds on a long
/// download; the totals at the end) and counts (for the summary and the tests).
/// </summary>
public sealed class FetchReport(TextWriter output, TimeSpan progressInterval)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Stopwatch _artifactClock = new();
    private readonly Stopwatch _sinceProgress = new();
    private long _artifactBytes;
    private long _artifactCopied;
    private int _artifactFiles;

    public int FilesDownloaded { get; private set; }
    public long BytesDownloaded { get; private set; }
    public int FilesPresent { get; private set; }
    public long BytesPresent { get; private set; }
    public int FilesRehashed { get; private set; }
    public int ToolRuns { get; private set; }
    public int ImagesCopied { get; private set; }
    public long BytesCopied { get; private set; }
    public TimeSpan DownloadTime { get; private set; }

    public TextWriter Output => output;

    public void StartArtifact(LockedArtifact artifact)
    {
        _artifactBytes = 0;
        _artifactCopied = 0;
        _artifactFiles = 0;
        _artifactClock.Restart();
        output.WriteLine($"{Kind(artifact.Kind)} {artifact.Name} {artifact.Version} ({Size(artifact.Size)})");
    }

    /// <summary>A download starts; <paramref name="resumedAt"/> bytes of it were there already.</summary>
    public void StartDownload(string file, long resumedAt)
    {
        _sinceProgress.Restart();
        if (resumedAt > 0)
            output.WriteLine($"  {file}: continuing after {Size(resumedAt)}");
    }

    public void Received(string file, long done, long total, long bytes, TimeSpan elapsed)
    {
        BytesDownloaded += bytes;
        _artifactBytes += bytes;
        if (_sinceProgress.Elapsed < progressInterval)
            return;
        _sinceProgress.Restart();
        output.WriteLine($"  {file}: {Size(done)} of {Size(total)} ({100.0 * done / Math.Max(1, total):0}%), {Rate(done, elapsed)}");
    }

    public void Downloaded(TimeSpan elapsed)
    {
        FilesDownloaded++;
        _artifactFiles++;
        DownloadTime += elapsed;
    }

    public void Present(long size, bool rehashed)
    {
        FilesPresent++;
        BytesPresent += size;
        if (rehashed)
            FilesRehashed++;
    }

    public void Tool(string program, string detail)
    {
        ToolRuns++;
        output.WriteLine($"  {program} {detail}");
    }

    /// <summary>An image skopeo copied: its bytes (manifest, config, layers), which skopeo may partly have found in the layout already.</summary>
    public void Copied(long bytes)
    {
        ImagesCopied++;
        BytesCopied += bytes;
        _artifactCopied += bytes;
    }

    public void Note(string line) => output.WriteLine($"  {line}");

    public void EndArtifact(string name, int files, bool alreadyComplete)
    {
        var elapsed = _artifactClock.Elapsed;
        var got = _artifactCopied > 0 ? $"skopeo copied {Size(_artifactCopied)}" : $"{_artifactFiles} downloaded, {Size(_artifactBytes)}";
        output.WriteLine(alreadyComplete
            ? $"  ok: {name} present ({Count(files, "file")}, verified)"
            : $"  ok: {name}: {Count(files, "file")}, {got} in {Seconds(elapsed)} ({Rate(_artifactBytes + _artifactCopied, elapsed)})");
    }

    public void Failed(string message) => output.WriteLine($"  FAILED: {message}");

    public void Summary(int artifacts, int failed, string tree)
    {
        if (failed > 0)
        {
            output.WriteLine($"{failed} of {Count(artifacts, "artifact")} failed; no manifest.json written. Run the same command again to continue (what is verified stays).");
            return;
        }
        var downloaded = FilesDownloaded == 0 ? "nothing downloaded"
            : $"{Count(FilesDownloaded, "file")} downloaded ({Size(BytesDownloaded)}, {Rate(BytesDownloaded, DownloadTime)} while downloading)";
        var copied = ImagesCopied == 0 ? "" : $", {Count(ImagesCopied, "image")} copied by skopeo ({Size(BytesCopied)})";
        output.WriteLine($"{Count(artifacts, "artifact")} in {tree}: {downloaded}{copied}, {Count(FilesPresent, "file")} already present ({Size(BytesPresent)}), "
            + $"{FilesRehashed} re-hashed; {Seconds(_clock.Elapsed)} in all.");
    }

    private static string Count(int n, string thing) => n == 1 ? $"1 {thing}" : $"{n} {thing}s";

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.00} GB"),
    };

    public static string Rate(long bytes, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0 / Math.Max(elapsed.TotalSeconds, 0.001):0.0} MB/s");

    private static string Seconds(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.00} s");

    private static string Kind(ArtifactKind kind) => kind == ArtifactKind.PackageRepo ? "package-repo" : kind.ToString().ToLowerInvariant();
}
