using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Artifacts;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>An import cancelled halfway, the one that resumes it, and the store verified again.</summary>
public sealed class ArtifactResumeTests
{
    private const long Big = 160L * 1024 * 1024;

    [Fact]
    public async Task AnImportCancelledHalfway_ShowsOnlyWhatWasVerified_AndTheNextOneResumesWithoutReadingItAgain()
    {
        var bed = ArtifactBed.Create();
        bed.Tree.File("first-tool", "first.bin", 2 * 1024 * 1024).Image("big-image", layers: 1, layerSize: Big).File("last-tool", "last.bin", 1024 * 1024);
        await using var started = await bed.StartAsync(["first-tool", "big-image", "last-tool"]);
        bed.Tree.WriteManifest();
        var bigLayer = bed.Tree.LargestFileOf("big-image");
        var jobs = bed.Host.Services.GetRequiredService<ArtifactJobs>();
        var cancelledAt = 0L;
        using var news = bed.Host.Services.GetRequiredService<ArtifactNotifier>().Subscribe(n =>
        {
            // A third into the big layer: the first artifact is stored, the image's small blobs are staged after it.
            if (n is ImportProgressed { Import: { CurrentFile: var file, BytesDone: var done } import } && file == bigLayer && done > bed.Tree.SizeOf("first-tool") + Big / 3
                && Interlocked.CompareExchange(ref cancelledAt, done, 0) == 0)
                _ = jobs.CancelAsync(import.Id, "test", CancellationToken.None);
        });

        var cancelled = await bed.EndedAsync(await bed.StartImportAsync());

        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Contains("Cancelled by test. Stored before: first-tool.", cancelled.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.InRange(cancelled.GetProperty("bytesDone").GetInt64(), cancelledAt, cancelledAt + 8 * FileHashing.BufferSize);
        var artifacts = await bed.ArtifactsAsync();
        Assert.Equal("Present", ArtifactBed.Status(artifacts, "first-tool"));
        Assert.Equal("Missing", ArtifactBed.Status(artifacts, "big-image"));
        Assert.Equal("Missing", ArtifactBed.Status(artifacts, "last-tool"));
        Assert.False(Directory.Exists(Path.Combine(bed.StorePath, "images")));
        Assert.False(File.Exists(Path.Combine(bed.DataDirectory, "artifacts", "staging", bigLayer)), "the half-copied layer is not kept");
        var fetchBlocked = await bed.Host.CreateClient().GetAsync($"/artifacts/{bigLayer}");
        Assert.NotEqual(HttpStatusCode.OK, fetchBlocked.StatusCode);

        var resumed = await bed.ImportAsync();

        ArtifactBed.AssertCompleted(resumed);
        // Read again: only the big layer and the last tool. The first tool is in the store, the image's other blobs were verified in staging.
        Assert.Equal(Big + bed.Tree.SizeOf("last-tool"), resumed.GetProperty("bytesCopied").GetInt64());
        var after = await bed.ArtifactsAsync();
        Assert.All(["first-tool", "big-image", "last-tool"], a => Assert.Equal("Present", ArtifactBed.Status(after, a)));
    }

    [Fact]
    public async Task AFileChangedInTheStore_IsHashedAgainWhenItsTimeChanges_AndVerifyAllFindsOneThatKeptItsTime()
    {
        var bed = ArtifactBed.Create();
        bed.Tree.File("tool-a", "a.bin", 1024 * 1024).File("tool-b", "b.bin", 1024 * 1024);
        await using var started = await bed.StartAsync(["tool-a", "tool-b"]);
        bed.Tree.WriteManifest();
        await bed.ImportAsync();
        var a = Path.Combine(bed.StorePath, bed.Tree.FilesOf("tool-a")[0]);
        var b = Path.Combine(bed.StorePath, bed.Tree.FilesOf("tool-b")[0]);

        // Changed with its write time: the next look hashes it again.
        Flip(a);
        var seen = await bed.ArtifactsAsync();
        Assert.Equal("Corrupt", ArtifactBed.Status(seen, "tool-a"));
        Assert.Contains(bed.Tree.FilesOf("tool-a")[0], seen["tool-a"].GetProperty("problem").GetString(), StringComparison.Ordinal);

        // Changed behind its recorded size and time: only "verify all again" sees it.
        var time = File.GetLastWriteTimeUtc(b);
        Flip(b);
        File.SetLastWriteTimeUtc(b, time);
        Assert.Equal("Present", ArtifactBed.Status(await bed.ArtifactsAsync(), "tool-b"));
        var response = await bed.Admin.PostAsync("/api/v1/artifacts/verify", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var verification = await bed.EndedAsync((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32());

        Assert.Equal("Verify", verification.GetProperty("kind").GetString());
        Assert.Contains("2 files hashed again: 2 corrupt", verification.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Corrupt", ArtifactBed.Status(await bed.ArtifactsAsync(), "tool-b"));
    }

    [Fact]
    public async Task AJobTheApplianceDiedDuring_IsInterruptedAtTheNextStart_AndReplacedCopiesLeftBehindGo()
    {
        var bed = ArtifactBed.Create();
        bed.Tree.File("tool-a", "a.bin", 1024);
        await using var started = await bed.StartAsync(["tool-a"]);
        bed.Tree.WriteManifest();
        var id = (await bed.ImportAsync()).GetProperty("id").GetInt32();
        await using (var db = await bed.Host.Services.GetRequiredService<IDbContextFactory<ApplianceDb>>().CreateDbContextAsync())
            await db.ArtifactImports.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Running));
        var leftBehind = Path.Combine(bed.DataDirectory, "artifacts", "trash", "7-tool-a-old");
        Directory.CreateDirectory(leftBehind);

        await bed.RestartAsync();

        var import = await bed.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/artifacts/imports/{id}");
        Assert.Equal("Interrupted", import.GetProperty("status").GetString());
        Assert.StartsWith("The appliance stopped during this job.", import.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(leftBehind));
        Assert.Equal("Present", ArtifactBed.Status(await bed.ArtifactsAsync(), "tool-a"));
    }

    private static void Flip(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var first = stream.ReadByte();
        stream.Position = 0;
        stream.WriteByte((byte)(first ^ 1));
    }
}
