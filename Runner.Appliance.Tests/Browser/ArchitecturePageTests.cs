using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

/// <summary>The recap and the VM grid in Chromium: charts drawn, live updates, links from the Review step.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ArchitecturePageTests(BrowserFixture browser)
{
    private static async Task<HttpClient> ConfiguredAsync(BrowserSession session)
    {
        var admin = await session.Host.AdminClientAsync();
        static object Zone(string name, int vlan, string prefix) => new
        {
            name, vlanId = vlan, subnet = $"{prefix}.0/24", gateway = $"{prefix}.1", dnsServers = new[] { "10.1.0.10" },
            ntpServers = new[] { "10.1.0.20" }, rangeStart = $"{prefix}.10", rangeEnd = $"{prefix}.60", hypervisor = "vc",
        };
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "EServices", "GCO" }, version = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/hypervisors", new { kind = "VCenter", alias = "vc", host = "vcenter.example.local",
            username = "u", password = new { newValue = "p" }, datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "rhel9" })).StatusCode);
        foreach (var zone in new[] { Zone("LAN_INFRA", 10, "10.1.10"), Zone("LAN_APPS", 100, "10.1.100"), Zone("DMZ", 200, "10.1.200") })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/zones", zone)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/v1/architecture/generate", new { })).StatusCode);
        return admin;
    }

    [Fact]
    public async Task TheRecap_DrawsBothCharts_AndFollowsAnEditMadeElsewhere()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        var admin = await ConfiguredAsync(session);
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        await page.ClickAsync("[data-testid='nav-architecture']");
        var bars = page.Locator("[data-testid='chart-by-zone'] svg path.mud-chart-bar");
        await bars.First.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });
        Assert.True(await bars.CountAsync() >= 16, "one bar segment per group at least");
        await page.Locator("[data-testid='chart-by-group'] svg").WaitForAsync();
        Assert.Contains("rke2-apps-agent", await page.InnerTextAsync("[data-testid='chart-by-group']"), StringComparison.Ordinal);
        Assert.Equal("140", await page.InnerTextAsync("[data-testid='total-vCPU']"));

        var vm = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines?group=bastion"))![0];
        var edit = JsonSerializer.Deserialize<Dictionary<string, object?>>(vm.GetRawText())!;
        edit["vcpu"] = 10;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/virtual-machines/{vm.GetProperty("id").GetInt32()}", edit)).StatusCode);

        await page.Locator("[data-testid='total-vCPU']", new() { HasTextString = "148" }).WaitForAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AVmProblemInTheReview_OpensThatVmsEditor_WithTheErrorUnderItsField()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        var admin = await ConfiguredAsync(session);
        var vm = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines?group=bastion"))![0];
        var edit = JsonSerializer.Deserialize<Dictionary<string, object?>>(vm.GetRawText())!;
        edit["ipAddress"] = "10.1.10.58";
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/virtual-machines/{vm.GetProperty("id").GetInt32()}", edit)).StatusCode);
        // The site takes .58 for something else after the VM was given it.
        var zone = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/zones"))!.Single(z => z.GetProperty("name").GetString() == "LAN_INFRA");
        var zoneEdit = JsonSerializer.Deserialize<Dictionary<string, object?>>(zone.GetRawText())!;
        zoneEdit["excludedAddresses"] = new[] { "10.1.10.58" };
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/zones/{zone.GetProperty("id").GetInt32()}", zoneEdit)).StatusCode);
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        await page.ClickAsync("[data-testid='nav-wizard/review']");
        var problems = page.Locator("[data-testid=review-problems]");
        await problems.GetByText("IP address 10.1.10.58 is excluded in zone LAN_INFRA").ClickAsync();

        await page.WaitForURLAsync("**/wizard/architecture?edit=*");
        await page.Locator(".mud-dialog").GetByText("IP address 10.1.10.58 is excluded in zone LAN_INFRA").WaitForAsync();
        await page.FillAsync("[data-testid=field-ipAddress]", "10.1.10.57");
        await page.ClickAsync("[data-testid=save-vm]");
        await page.GetByText("prod-bastion-01 saved.").WaitForAsync();
        await page.Locator("[data-testid=edited-prod-bastion-01]").WaitForAsync();
        Assert.Empty(session.ConsoleErrors);
    }
}
