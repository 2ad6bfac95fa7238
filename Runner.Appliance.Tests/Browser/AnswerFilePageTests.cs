using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AnswerFilePageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Technician_DownloadsTheAnswerFile_AndAnImportWithMistakesListsThemByPath()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        var admin = await session.Host.AdminClientAsync();
        await admin.PostAsJsonAsync("/api/v1/hypervisors", new { kind = "Esxi", alias = "vc", host = "10.1.0.5", username = "root",
            password = new { newValue = "esxi-pass" }, datastore = "datastore1", network = "VM Network", template = "rhel9" });
        await admin.PostAsJsonAsync("/api/v1/zones", new
        {
            hypervisor = "vc",
            name = "LAN_INFRA", vlanId = 100, subnet = "10.1.100.0/24", gateway = "10.1.100.1", dnsServers = new[] { "10.1.0.10" },
            ntpServers = new[] { "10.1.0.20" }, rangeStart = "10.1.100.10", rangeEnd = "10.1.100.60",
        });
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;
        await page.ClickAsync("[data-testid=nav-answer-file]");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export]"));
        var path = Path.Combine(Path.GetTempPath(), $"answer-{Guid.NewGuid():N}.json");
        await download.SaveAsAsync(path);
        var exported = await File.ReadAllTextAsync(path);
        Assert.Contains("LAN_INFRA", exported);

        var broken = exported.Replace("\"10.1.100.1\"", "\"10.1.200.1\"", StringComparison.Ordinal).Replace("\"vlanId\": 100", "\"vlanId\": 5000", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, broken);
        await page.SetInputFilesAsync("[data-testid=import-file]", path);
        var problems = page.Locator("[data-testid=import-problems]");
        await problems.WaitForAsync();
        Assert.Contains("$.zones[0].gateway", await problems.InnerTextAsync());
        Assert.Contains("$.zones[0].vlanId", await problems.InnerTextAsync());
        File.Delete(path);

        var zones = await admin.GetFromJsonAsync<JsonElement>("/api/v1/zones");
        Assert.Equal("10.1.100.1", zones[0].GetProperty("gateway").GetString());
        Assert.Empty(session.ConsoleErrors);
    }
}
