using System.Diagnostics;
using System.Net;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>The store as a VM reads it, with real curl: anonymous, ranges, types, and nothing but the store.</summary>
public sealed class ArtifactServingTests : IAsyncLifetime
{
    private ArtifactBed _bed = default!;

    public async Task InitializeAsync()
    {
        _bed = ArtifactBed.Create(kestrel: true);
        _bed.Tree.File("rke2-linux-amd64", "rke2.linux-amd64.tar.gz", 300_000, "v1.31.4+rke2r1").Chart("rancher-monitoring").Repo("debian12-base", "chrony");
        await _bed.StartAsync();
        _bed.Tree.WriteManifest();
        ArtifactBed.AssertCompleted(await _bed.ImportAsync());
    }

    [Fact]
    public async Task ARangeRequest_Gets206_WithExactlyThoseBytes_Anonymously()
    {
        var file = _bed.Tree.FilesOf("rke2-linux-amd64")[0];
        var (status, headers, body) = await CurlAsync($"/artifacts/{file.Replace("+", "%2B", StringComparison.Ordinal)}", "-r", "1000-1999");

        Assert.Equal(206, status);
        Assert.Equal((await File.ReadAllBytesAsync(_bed.Tree.PathOf(file)))[1000..2000], body);
        Assert.Contains("content-range: bytes 1000-1999/300000", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-content-type-options: nosniff", headers, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WholeFilesAndHead_HaveTheirTypes_AndARepositoryIsReadableAsIs()
    {
        var chart = _bed.Tree.FilesOf("rancher-monitoring")[0];
        var (status, headers, body) = await CurlAsync($"/artifacts/{chart}");
        Assert.Equal(200, status);
        Assert.Contains("content-type: application/gzip", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(await File.ReadAllBytesAsync(_bed.Tree.PathOf(chart)), body);

        var (headStatus, headHeaders, _) = await CurlAsync("/artifacts/repos/debian12-base/Packages", "-I");
        Assert.Equal(200, headStatus);
        Assert.Contains("content-type: application/octet-stream", headHeaders, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("accept-ranges: bytes", headHeaders, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"content-length: {new FileInfo(_bed.Tree.PathOf("repos/debian12-base/Packages")).Length}", headHeaders, StringComparison.OrdinalIgnoreCase);
        var (_, debHeaders, _) = await CurlAsync("/artifacts/repos/debian12-base/chrony_1.0_amd64.deb", "-I");
        Assert.Contains("content-type: application/vnd.debian.binary-package", debHeaders, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/artifacts/")]
    [InlineData("/artifacts/repos/debian12-base/")]
    [InlineData("/artifacts/..%2f..%2fappliance.db")]
    [InlineData("/artifacts/%2e%2e/%2e%2e/appliance.db")]
    [InlineData("/artifacts/files/../../appliance.db")]
    [InlineData("/artifacts/files/link-out/passwd")]
    public async Task NoListing_NoTraversal_NoLinkOut(string path)
    {
        Directory.CreateSymbolicLink(Path.Combine(_bed.StorePath, "files", "link-out"), "/etc");

        var (status, _, body) = await CurlAsync(path, "--path-as-is");

        Assert.True(status is 404 or 400 or 302, $"{path}: {status}");
        Assert.DoesNotContain("SQLite format", System.Text.Encoding.Latin1.GetString(body), StringComparison.Ordinal);
        Assert.DoesNotContain("root:", System.Text.Encoding.Latin1.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyReads_AndTheApiAndThePageStayBehindAuthentication()
    {
        Assert.Equal(405, (await CurlAsync("/artifacts/repos/debian12-base/Packages", "-X", "PUT", "--data", "x")).Status);
        Assert.Equal(401, (await CurlAsync("/api/v1/artifacts")).Status);
        Assert.Equal(401, (await CurlAsync("/api/v1/artifacts/import", "-X", "POST", "-H", "Content-Type: application/json", "--data", "{\"path\":\"/tmp\"}")).Status);
        var (page, headers, _) = await CurlAsync("/artifacts");
        Assert.Equal(302, page);
        Assert.Contains("/account/login", headers, StringComparison.OrdinalIgnoreCase);
        var anonymous = _bed.Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/artifacts")).StatusCode);
    }

    /// <summary>curl as a VM runs it: no cookie, no token. Returns the status, the headers (lower-cased names) and the body.</summary>
    private async Task<(int Status, string Headers, byte[] Body)> CurlAsync(string path, params string[] options)
    {
        using var headers = new TempFile();
        using var body = new TempFile();
        var info = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var option in (string[])["-s", "-o", body.Path, "-D", headers.Path, "-w", "%{http_code}", .. options, new Uri(_bed.Address!, path).GetLeftPart(UriPartial.Authority) + path])
            info.ArgumentList.Add(option);
        using var curl = Process.Start(info)!;
        var code = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(headers.Path)).ToLowerInvariant(),
            File.Exists(body.Path) ? await File.ReadAllBytesAsync(body.Path) : []);
    }

    private sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"curl-{Guid.NewGuid():N}");

        public void Dispose() => File.Delete(Path);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();
}
