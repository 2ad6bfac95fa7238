using System.Text.Json;
using Runner.Appliance.Tests.Artifacts;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

/// <summary>The Artifacts page in Chromium: an import started from it, its progress moving live, and the statuses it ends with.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ArtifactsPageTests(BrowserFixture browser)
{
    private const long Layer = 240L * 1024 * 1024;

    [Fact]
    public async Task AnImportStartedOnThePage_ShowsItsProgressLive_AndEndsWithEachArtifactsStatus()
    {
        using var ansible = new TempDirectory();
        using var treeDirectory = new TempDirectory();
        EngineHost.CopyDirectory(Repository.PathOf("ansible"), ansible.Path);
        var tree = new TestTree(treeDirectory.Path).File("rke2-linux-amd64", "rke2.linux-amd64.tar.gz", 512 * 1024, "v1.31.4+rke2r1")
            .Image("registry", layers: 1, layerSize: Layer).Chart("rancher-monitoring").Repo("debian12-base", "chrony", "curl");
        ArtifactBed.ForgetRoleNeeds(ansible.Path);
        await File.WriteAllTextAsync(Path.Combine(ansible.Path, "artifacts.lock.yml"), tree.LockYaml());
        Directory.CreateDirectory(Path.Combine(ansible.Path, "roles", "testrole", "meta"));
        await File.WriteAllTextAsync(Path.Combine(ansible.Path, "roles", "testrole", "meta", "artifacts.yml"), "artifacts: [rke2-linux-amd64, registry, rancher-monitoring]\n");
        tree.WriteManifest();
        var chart = tree.FilesOf("rancher-monitoring")[0];
        tree.FlipByte(chart, 3);

        await using var session = await BrowserSession.StartAsync(browser, new Dictionary<string, string?>
        {
            ["Appliance:Engine:AnsibleDirectory"] = ansible.Path,
            ["Appliance:Artifacts:ProgressInterval"] = "00:00:00.050",
        });
        await session.Host.AdminClientAsync();
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        await page.ClickAsync("[data-testid=nav-artifacts]");
        await page.Locator("[data-testid='status-registry'] [data-status=missing]").WaitForAsync();
        Assert.Equal("not needed", await page.GetAttributeAsync("[data-testid='status-debian12-base'] .mud-chip", "data-status"));
        // Every state the progress panel goes through, as the page renders it.
        await page.EvaluateAsync(@"() => {
            window.seen = [];
            new MutationObserver(() => {
                const p = document.querySelector('[data-testid=import-progress]');
                if (p) window.seen.push({ status: p.dataset.status, done: +p.dataset.bytesDone, total: +p.dataset.bytesTotal,
                    counts: document.querySelector('[data-testid=import-counts]')?.innerText ?? '' });
            }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        }");

        await page.FillAsync("[data-testid=import-path]", tree.Root);
        await page.ClickAsync("[data-testid=import-start]");
        await page.Locator("[data-testid=import-progress][data-status=Completed]").WaitForAsync(new() { Timeout = 120_000 });

        var seen = (await page.EvaluateAsync<JsonElement>("() => window.seen")).EnumerateArray().ToList();
        var moving = seen.Where(s => s.GetProperty("status").GetString() == "Running" && s.GetProperty("done").GetInt64() is > 0 and var done && done < s.GetProperty("total").GetInt64()).ToList();
        Assert.True(moving.Select(s => s.GetProperty("done").GetInt64()).Distinct().Count() >= 2, $"the bar moved: {string.Join(" | ", seen.Select(s => s.ToString()).Take(20))}");
        // The rate and the time left, while it runs.
        Assert.Contains(moving, s => s.GetProperty("counts").GetString()!.Contains("B/s", StringComparison.Ordinal) && s.GetProperty("counts").GetString()!.Contains(" left", StringComparison.Ordinal));

        await page.Locator("[data-testid='status-registry'] [data-status=present]").WaitForAsync();
        Assert.Equal("present", await page.GetAttributeAsync("[data-testid='status-rke2-linux-amd64'] .mud-chip", "data-status"));
        Assert.Equal("present", await page.GetAttributeAsync("[data-testid='status-debian12-base'] .mud-chip", "data-status"));
        Assert.Equal("corrupt", await page.GetAttributeAsync("[data-testid='status-rancher-monitoring'] .mud-chip", "data-status"));
        Assert.Contains(chart, await page.InnerTextAsync("[data-testid=problem-rancher-monitoring]"), StringComparison.Ordinal);
        Assert.Contains($"{chart}: sha256 ", await page.InnerTextAsync("[data-testid=import-refusals]"), StringComparison.Ordinal);
        Assert.Contains("3 artifacts stored", await page.InnerTextAsync("[data-testid=import-message]"), StringComparison.Ordinal);
        Assert.Empty(session.ConsoleErrors);
    }
}
