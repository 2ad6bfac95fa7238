using System.Text.Json.Nodes;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>Imports of real trees into a real store: what ends up present, corrupt, missing or refused, by name.</summary>
public sealed class ArtifactImportTests
{
    [Fact]
    public async Task AGoodTree_IsImported_EveryArtifactPresent_AndNothingLeftInStaging()
    {
        await using var bed = await ArtifactBed.FourKinds().StartAsync(ArtifactBed.FourKindNames);
        bed.Tree.WriteManifest();
        // The fetcher's record of what it verified: the tree's, no artifact's, neither imported nor refused.
        await File.WriteAllTextAsync(bed.Tree.PathOf(".fetch-state.json"), "{}");

        var import = await bed.ImportAsync();

        ArtifactBed.AssertCompleted(import);
        Assert.Empty(ArtifactBed.Refusals(import));
        Assert.False(File.Exists(Path.Combine(bed.StorePath, ".fetch-state.json")));
        Assert.Equal(ArtifactBed.FourKindNames.Order(), import.GetProperty("stored").EnumerateArray().Select(s => s.GetString()!).Order());
        Assert.Equal(import.GetProperty("bytesTotal").GetInt64(), import.GetProperty("bytesDone").GetInt64());
        var artifacts = await bed.ArtifactsAsync();
        foreach (var name in ArtifactBed.FourKindNames)
        {
            Assert.Equal("Present", ArtifactBed.Status(artifacts, name));
            Assert.True(artifacts[name].GetProperty("neededByPlan").GetBoolean());
            Assert.Equal(["testrole"], artifacts[name].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            foreach (var file in bed.Tree.FilesOf(name))
                Assert.Equal(await File.ReadAllBytesAsync(bed.Tree.PathOf(file)), await File.ReadAllBytesAsync(Path.Combine(bed.StorePath, file)));
        }
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(bed.DataDirectory, "artifacts", "staging"), "*", SearchOption.AllDirectories));

        var again = await bed.ImportAsync();
        Assert.Equal(0, again.GetProperty("bytesCopied").GetInt64());
        Assert.Contains("0 artifacts stored, 4 already in the store", again.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneFlippedByte_MakesThatArtifactCorrupt_NamedWithItsFile_AndTheOthersPresent()
    {
        await using var bed = await ArtifactBed.FourKinds().StartAsync(ArtifactBed.FourKindNames);
        bed.Tree.WriteManifest();
        var chart = bed.Tree.FilesOf("rancher-monitoring")[0];
        bed.Tree.FlipByte(chart, 5);

        var import = await bed.ImportAsync();

        var refusal = Assert.Single(ArtifactBed.Refusals(import));
        Assert.Equal("Corrupt", refusal.GetProperty("kind").GetString());
        Assert.Equal(chart, refusal.GetProperty("path").GetString());
        Assert.StartsWith($"{chart}: sha256 ", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
        var artifacts = await bed.ArtifactsAsync();
        Assert.Equal("Corrupt", ArtifactBed.Status(artifacts, "rancher-monitoring"));
        Assert.Contains(chart, artifacts["rancher-monitoring"].GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.All(ArtifactBed.FourKindNames.Where(a => a != "rancher-monitoring"), a => Assert.Equal("Present", ArtifactBed.Status(artifacts, a)));
        Assert.False(File.Exists(Path.Combine(bed.StorePath, chart)));

        // The same byte put back: only the chart is read again, the rest is in the store already.
        bed.Tree.FlipByte(chart, 5);
        var repaired = await bed.ImportAsync();
        Assert.Equal(bed.Tree.SizeOf("rancher-monitoring"), repaired.GetProperty("bytesCopied").GetInt64());
        Assert.Equal("Present", ArtifactBed.Status(await bed.ArtifactsAsync(), "rancher-monitoring"));
    }

    [Fact]
    public async Task AFileMissingFromTheTree_LeavesItsArtifactMissing_NamingTheFile()
    {
        await using var bed = await ArtifactBed.FourKinds().StartAsync(ArtifactBed.FourKindNames);
        bed.Tree.WriteManifest();
        var layer = bed.Tree.FilesOf("registry")[1];
        File.Delete(bed.Tree.PathOf(layer));

        var import = await bed.ImportAsync();

        var refusal = Assert.Single(ArtifactBed.Refusals(import));
        Assert.Equal("Missing", refusal.GetProperty("kind").GetString());
        Assert.Equal(layer, refusal.GetProperty("path").GetString());
        var artifacts = await bed.ArtifactsAsync();
        Assert.Equal("Missing", ArtifactBed.Status(artifacts, "registry"));
        Assert.Contains(layer, artifacts["registry"].GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(bed.StorePath, "images", "registry")));
        Assert.Equal("Present", ArtifactBed.Status(artifacts, "debian12-base"));
    }

    [Fact]
    public async Task AFileNoArtifactLists_AndArtifactsTheLockDoesNotPinAsIs_AreRefusedByName()
    {
        var bed = ArtifactBed.FourKinds();
        bed.Tree.File("unpinned-tool", "tool.bin", 1000);
        // The lock pins the chart at another version than the tree holds.
        await using var started = await bed.StartAsync(ArtifactBed.FourKindNames, editLock: yaml => yaml.Replace("version: \"1.2.0\"", "version: \"1.3.0\"", StringComparison.Ordinal), leaveOut: "unpinned-tool");
        bed.Tree.WriteManifest();
        Directory.CreateDirectory(bed.Tree.PathOf("files/notes"));
        await File.WriteAllTextAsync(bed.Tree.PathOf("files/notes/readme.txt"), "not in the manifest");

        var import = await bed.ImportAsync();

        var refusals = ArtifactBed.Refusals(import).ToDictionary(r => r.GetProperty("kind").GetString()!, r => r.GetProperty("message").GetString()!);
        Assert.StartsWith("files/notes/readme.txt: in the tree, but no artifact of the manifest lists it", refusals["Unlisted"], StringComparison.Ordinal);
        Assert.StartsWith("unpinned-tool 1.0.0: the lock file does not pin this artifact", refusals["UnknownArtifact"], StringComparison.Ordinal);
        Assert.StartsWith("rancher-monitoring: the tree has version 1.2.0, the lock pins 1.3.0", refusals["LockMismatch"], StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bed.StorePath, "files/notes/readme.txt")));
        Assert.False(Directory.Exists(Path.Combine(bed.StorePath, "files/unpinned-tool")));
        var artifacts = await bed.ArtifactsAsync();
        Assert.Equal("Missing", ArtifactBed.Status(artifacts, "rancher-monitoring"));
        Assert.Equal("Present", ArtifactBed.Status(artifacts, "registry"));
    }

    [Fact]
    public async Task AManifestPathOutsideItsArtifactsFolder_IsRefused_AndNothingOutsideTheTreeIsRead()
    {
        await using var bed = await ArtifactBed.FourKinds().StartAsync(ArtifactBed.FourKindNames);
        const string Escape = "files/rke2-linux-amd64/../../../../../etc/hostname";
        bed.Tree.WriteManifest(manifest =>
        {
            var rke2 = manifest["artifacts"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "rke2-linux-amd64")!;
            rke2["files"] = new JsonArray(Escape);
            manifest["files"]!.AsArray().Add(new JsonObject { ["path"] = Escape, ["sha256"] = new string('a', 64), ["size"] = 10 });
        });

        var import = await bed.ImportAsync();

        var refusals = ArtifactBed.Refusals(import);
        Assert.Contains(refusals, r => r.GetProperty("kind").GetString() == "Invalid" && r.GetProperty("path").GetString() == Escape
            && r.GetProperty("message").GetString()!.StartsWith($"{Escape}: not a path inside files/rke2-linux-amd64/", StringComparison.Ordinal));
        var artifacts = await bed.ArtifactsAsync();
        Assert.Equal("Missing", ArtifactBed.Status(artifacts, "rke2-linux-amd64"));
        Assert.Equal("Present", ArtifactBed.Status(artifacts, "registry"));
        Assert.Empty(Directory.GetFiles(Path.Combine(bed.DataDirectory, "artifacts"), "hostname", SearchOption.AllDirectories));
    }
}
