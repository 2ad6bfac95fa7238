using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;
using Runner.Appliance.Tests.Preflight;

namespace Runner.Appliance.Tests.Browser;

/// <summary>The preflight page in Chromium: run it, watch the checks land, follow a failure to its wizard field.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PreflightPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task AFailedCheck_LinksToItsWizardField_WhichShowsWhatThePreflightFound()
    {
        await using var site = await SiteBed.StartAsync();
        await using var session = await BrowserSession.StartAsync(browser, site.Settings);
        var admin = await session.Host.AdminClientAsync();
        await site.ConfigureAsync(admin);
        var vc = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/hypervisors"))![0];
        var edited = JsonSerializer.Deserialize<Dictionary<string, object?>>(vc.GetRawText())!;
        edited["password"] = new { newValue = "Wrong-Pass-In-Browser" };
        await SiteBed.ExpectAsync(HttpStatusCode.NoContent, admin.PutAsJsonAsync($"/api/v1/hypervisors/{vc.GetProperty("id").GetInt32()}", edited));
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        await page.ClickAsync("[data-testid='nav-preflight']");
        await page.Locator("[data-testid=no-preflight]").WaitForAsync();
        await page.ClickAsync("[data-testid=run-preflight]");
        await page.Locator("[data-testid='check-hypervisors.vc.login'][data-status=failed]").WaitForAsync(new() { Timeout = 30_000 });
        // While the other checks still run, the failure is already there and its link already works.
        await page.ClickAsync("[data-testid=filter-failed]");
        await page.ClickAsync("[data-testid='fix-hypervisors.vc.login']");
        await page.WaitForURLAsync("**/wizard/hypervisors?edit=hypervisors:*&field=password&check=hypervisors.vc.login");
        await page.Locator(".mud-dialog").GetByText($"Preflight: vc: login refused for user {Vcsim.User}", new() { Exact = false }).WaitForAsync();
        await page.Locator(".mud-dialog").GetByText("Cancel").ClickAsync();

        await page.ClickAsync("[data-testid='nav-preflight']");
        await page.Locator("[data-testid=gate]", new() { HasTextString = "blocking failure" }).WaitForAsync(new() { Timeout = 15_000 });
        Assert.Contains("To fix (1 blocking, 0 to review)", await page.InnerTextAsync("[data-testid=problems]"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("[data-testid='problem-fix-hypervisors.vc.login']").CountAsync());
        Assert.Equal("passed", await page.GetAttributeAsync("[data-testid='check-zones.lan_apps.dns']", "data-status"));
        Assert.Equal("skipped", await page.GetAttributeAsync("[data-testid='check-hypervisors.vc.datastore']", "data-status"));

        await page.ClickAsync("[data-testid=filter-failed]");
        var failedRows = page.Locator("[data-testid=preflight-checks] tr[data-status]");
        await Assertions.Expect(failedRows).ToHaveCountAsync(1);
        Assert.Equal("failed", await failedRows.GetAttributeAsync("data-status"));

        await page.ClickAsync("[data-testid='fix-hypervisors.vc.login']");
        await page.WaitForURLAsync("**/wizard/hypervisors?edit=hypervisors:*&field=password&check=hypervisors.vc.login");
        var dialog = page.Locator(".mud-dialog");
        try
        {
            await dialog.GetByText($"Preflight: vc: login refused for user {Vcsim.User}", new() { Exact = false }).WaitForAsync(new() { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The editor does not show the finding; the page says: {await page.InnerTextAsync("body")}");
        }
        await page.Locator(".mud-dialog").GetByText("Cancel").ClickAsync();

        // The same check from the wizard list, without the whole preflight.
        await page.ClickAsync("[data-testid='test-hypervisors-vc']");
        await page.Locator(".mud-dialog [data-testid='check-hypervisors.vc.login'][data-status=failed]").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("passed", await page.GetAttributeAsync(".mud-dialog [data-testid='check-hypervisors.vc.tls']", "data-status"));
        await page.Locator(".mud-dialog").GetByText("Close").ClickAsync();

        // The security step tests its own saved settings (certificate, key pair).
        await page.ClickAsync("[data-testid='nav-wizard/security']");
        await page.ClickAsync("[data-testid=test-security]");
        await page.Locator(".mud-dialog [data-testid='check-security.certificate.names'][data-status=passed]").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("passed", await page.GetAttributeAsync(".mud-dialog [data-testid='check-security.ssh.keypair']", "data-status"));
        Assert.DoesNotContain("Wrong-Pass-In-Browser", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(session.ExternalRequests);
    }
}
