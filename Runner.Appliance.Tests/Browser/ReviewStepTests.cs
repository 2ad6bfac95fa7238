using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ReviewStepTests(BrowserFixture browser)
{
    private static object Zone(string name, int vlan, string prefix) => new
    {
        name, vlanId = vlan, subnet = $"{prefix}.0/24", gateway = $"{prefix}.1", dnsServers = new[] { "10.1.0.10" },
        ntpServers = new[] { "10.1.0.20" }, rangeStart = $"{prefix}.10", rangeEnd = $"{prefix}.60", hypervisor = "vc",
    };

    private static async Task<int> PostAsync(HttpClient admin, string path, object body)
    {
        var response = await admin.PostAsJsonAsync(path, body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task Review_ListsEachProblemWithALinkToItsField_AndIsCleanOnceFixed()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        var admin = await session.Host.AdminClientAsync();
        await admin.PutAsJsonAsync("/api/v1/configuration", new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 500, products = new[] { "GCO" }, version = 0 });
        await PostAsync(admin, "/api/v1/hypervisors", new { kind = "VCenter", alias = "vc", host = "127.0.0.1", username = "u", password = new { newValue = "p" },
            datacenter = "DC0", cluster = "C0", datastore = "DS", network = "VM Network", template = "rhel9" });
        await PostAsync(admin, "/api/v1/zones", Zone("LAN_INFRA", 100, "10.1.100"));
        await PostAsync(admin, "/api/v1/zones", Zone("LAN_APPS", 200, "10.1.200"));
        var dmz = await PostAsync(admin, "/api/v1/zones", Zone("DMZ", 300, "192.168.30"));
        await PostAsync(admin, "/api/v1/flows", new { source = "DMZ", destination = "LAN_APPS", protocol = "Tcp", ports = "443" });
        await admin.DeleteAsync($"/api/v1/zones/{dmz}");
        var security = await admin.PutAsJsonAsync("/api/v1/security", new { tlsMode = "InternalCa", deploymentUser = "runner", sshPrivateKey = new { newValue = KeyFactory.SshPrivateKey() }, version = 0 });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, security.StatusCode);
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        await page.ClickAsync("[data-testid='nav-wizard/review']");
        var problems = page.Locator("[data-testid=review-problems]");
        await problems.WaitForAsync();
        Assert.Contains("Zone DMZ is missing", await problems.InnerTextAsync());
        Assert.Contains("Source zone 'DMZ' does not exist", await problems.InnerTextAsync());

        await problems.GetByText("Source zone 'DMZ' does not exist").ClickAsync();
        await page.WaitForURLAsync("**/wizard/flows?edit=flows:*");
        await page.Locator(".mud-dialog").GetByText("Source zone 'DMZ' does not exist").WaitForAsync();
        await page.FillAsync("[data-testid=field-source]", "LAN_INFRA");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("saved.").WaitForAsync();

        await PostAsync(admin, "/api/v1/zones", Zone("DMZ", 300, "192.168.30"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/v1/architecture/generate", new { })).StatusCode);
        await page.ClickAsync("[data-testid='step-wizard/review']");
        await page.Locator("[data-testid=review-clean]").WaitForAsync();
        Assert.Empty(session.ConsoleErrors);
    }
}
