using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Engine;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>What roles receive of the store: runner_artifacts.&lt;name&gt; for every artifact present, never a URL to build.</summary>
public sealed class ArtifactRunVarsTests
{
    [Fact]
    public async Task EveryPresentArtifact_IsInTheRunVars_WithItsUrlPathSha256AndVersion()
    {
        var bed = ArtifactBed.Create(new Dictionary<string, string?> { ["Appliance:Artifacts:PublicUrl"] = "https://10.1.100.5/artifacts/" });
        bed.Tree.File("rke2-linux-amd64", "rke2.linux-amd64.tar.gz", 4096, "v1.31.4+rke2r1").Image("registry").Repo("debian12-base", "chrony").Chart("absent-chart");
        await using var started = await bed.StartAsync();
        bed.Tree.WriteManifest(); // all four in the manifest…
        File.Delete(bed.Tree.PathOf(bed.Tree.FilesOf("absent-chart")[0])); // …but the chart is not in the tree
        await bed.ImportAsync();

        using var scope = bed.Host.Services.CreateScope();
        var vars = (await scope.ServiceProvider.GetRequiredService<RunInputsBuilder>().BuildAsync()).Vars["runner_artifacts"]!.AsObject();

        Assert.Equal(["debian12-base", "registry", "rke2-linux-amd64"], vars.Select(v => v.Key).Order());
        var rke2 = vars["rke2-linux-amd64"]!;
        Assert.Equal("https://10.1.100.5/artifacts/files/rke2-linux-amd64/rke2.linux-amd64.tar.gz", rke2["url"]!.GetValue<string>());
        Assert.Equal(Path.Combine(bed.StorePath, "files/rke2-linux-amd64/rke2.linux-amd64.tar.gz"), rke2["path"]!.GetValue<string>());
        Assert.Equal("v1.31.4+rke2r1", rke2["version"]!.GetValue<string>());
        Assert.Equal("file", rke2["kind"]!.GetValue<string>());
        Assert.Equal(64, rke2["sha256"]!.GetValue<string>().Length);
        Assert.Equal("https://10.1.100.5/artifacts/repos/debian12-base/", vars["debian12-base"]!["url"]!.GetValue<string>());
        Assert.Equal("package-repo", vars["debian12-base"]!["kind"]!.GetValue<string>());
        Assert.Equal(bed.StorePath + "/images/registry/", vars["registry"]!["path"]!.GetValue<string>());
    }
}
