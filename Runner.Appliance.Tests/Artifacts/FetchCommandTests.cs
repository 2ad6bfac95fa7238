using System.Diagnostics;
using Runner.Appliance.Features.Artifacts.Fetch;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary><c>Runner.Appliance artifacts fetch</c> as a person runs it: the appliance binary, its exit code, what it prints.</summary>
public sealed class FetchCommandTests(FetchBed bed) : IClassFixture<FetchBed>, IDisposable
{
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task TheApplianceBinary_FetchesBeforeAnyWebHost_PrintsBytesAndRate_AndExitsZero()
    {
        var tree = Path.Combine(_work.Path, "tree");

        var (exit, output, error) = await RunBinaryAsync("artifacts", "fetch", "--lock", bed.WriteLock(_work.Path), "--out", tree, "--only", "tool,hello-chart");

        Assert.True(exit == 0, output + error);
        Assert.Matches(@"ok: tool: 1 file, 1 downloaded, 4\.0 MB in [0-9.]+ s \([0-9.]+ MB/s\)", output);
        Assert.Matches(@"2 artifacts in .*: 2 files downloaded \([0-9.]+ MB, [0-9.]+ MB/s while downloading\)", output);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        Assert.Equal(["tool", "hello-chart"], TreeManifest.Read(tree).Artifacts.Select(a => a.Name));
    }

    [Fact]
    public async Task AFailedFetch_ExitsOne_NamingTheArtifactOnStandardError()
    {
        var error = new StringWriter();

        var exit = await ArtifactsCommand.RunAsync(
            ["artifacts", "fetch", "--lock", bed.WriteLock(_work.Path, fileSha256: new string('e', 64)), "--out", Path.Combine(_work.Path, "tree"), "--only", "tool"],
            new StringWriter(), error);

        Assert.Equal(1, exit);
        Assert.StartsWith("tool: sha256 mismatch", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingOption_OrAnUnknownArtifact_ExitsOne_AndSaysWhich()
    {
        var missing = new StringWriter();
        Assert.Equal(1, await ArtifactsCommand.RunAsync(["artifacts", "fetch", "--out", _work.Path], new StringWriter(), missing));
        Assert.Contains("--lock", missing.ToString(), StringComparison.Ordinal);

        var unknown = new StringWriter();
        Assert.Equal(1, await ArtifactsCommand.RunAsync(["artifacts", "fetch", "--lock", bed.WriteLock(_work.Path), "--out", Path.Combine(_work.Path, "t"), "--only", "nope"],
            new StringWriter(), unknown));
        Assert.Contains("--only names 'nope', which", unknown.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunBinaryAsync(params string[] arguments)
    {
        var binaries = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = binaries, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(binaries, "Runner.Appliance.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    public void Dispose() => _work.Dispose();
}
