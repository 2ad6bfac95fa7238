using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Artifacts;

namespace Runner.Appliance.Tests.Preflight.Artifacts;

/// <summary>The preflight's artifact check, against a real store: a role whose artifact is not imported blocks, and passes once it is.</summary>
public sealed class ArtifactChecksTests
{
    [Fact]
    public async Task ARoleOfThePlanLackingAnArtifact_FailsItsBlockingCheck_AndPassesOnceImported()
    {
        var bed = ArtifactBed.Create();
        bed.Tree.File("rke2-linux-amd64", "rke2.linux-amd64.tar.gz", 64 * 1024, "v1.31.4+rke2r1").Chart("rancher-monitoring");
        bed.NeedArtifacts("testrolefailed", ["rancher-monitoring"]);
        await using var started = await bed.StartAsync(["rke2-linux-amd64", "rancher-monitoring"]);
        bed.Tree.WriteManifest();

        var before = await CheckAsync(bed, "artifacts.testrole");
        Assert.Equal("Failed", before.GetProperty("status").GetString());
        Assert.True(before.GetProperty("blocks").GetBoolean());
        Assert.Contains("testrole needs 2 artifacts not in the store: rke2-linux-amd64 v1.31.4+rke2r1: missing", before.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("artifacts?field=artifacts&check=artifacts.testrole", before.GetProperty("link").GetString(), StringComparison.Ordinal);

        await bed.ImportAsync();

        var after = await CheckAsync(bed, "artifacts.testrole");
        Assert.Equal("Passed", after.GetProperty("status").GetString());
        Assert.Equal("2 artifacts present and verified: rke2-linux-amd64 v1.31.4+rke2r1, rancher-monitoring 1.2.0.", after.GetProperty("message").GetString());
        Assert.Equal("Passed", (await CheckAsync(bed, "artifacts.testrolefailed")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AStoredFileChangedSinceItWasVerified_IsHashedAgain_AndFailsTheCheck()
    {
        var bed = ArtifactBed.Create();
        bed.Tree.File("rke2-linux-amd64", "rke2.linux-amd64.tar.gz", 64 * 1024, "v1.31.4+rke2r1");
        await using var started = await bed.StartAsync(["rke2-linux-amd64"]);
        bed.Tree.WriteManifest();
        await bed.ImportAsync();
        await File.AppendAllTextAsync(Path.Combine(bed.StorePath, bed.Tree.FilesOf("rke2-linux-amd64")[0]), "tampered");

        var check = await CheckAsync(bed, "artifacts.testrole");

        Assert.Equal("Failed", check.GetProperty("status").GetString());
        Assert.Contains("rke2-linux-amd64 v1.31.4+rke2r1: corrupt (files/rke2-linux-amd64/rke2.linux-amd64.tar.gz: sha256 ", check.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> CheckAsync(ArtifactBed bed, string id)
    {
        var response = await bed.Admin.PostAsJsonAsync("/api/v1/preflight", new { checks = new[] { id } });
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, report.ToString());
        return report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
    }
}
