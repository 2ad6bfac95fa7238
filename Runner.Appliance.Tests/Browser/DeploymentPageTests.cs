using System.Net;
using System.Net.Http.Json;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

/// <summary>A run of the check roles started and watched in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DeploymentPageTests(BrowserFixture browser)
{
    private const string OverrideReason = "check roles only: no site system is touched";

    [Fact]
    public async Task ARunOfTheCheckRoles_ShowsItsLogGrowingLive_AndFiltersToTheFailure()
    {
        using var ansible = new TempDirectory();
        EngineHost.CopyDirectory(Repository.PathOf("ansible"), ansible.Path);
        await File.WriteAllTextAsync(Path.Combine(ansible.Path, "roles", "testrole", "defaults", "main.yml"), "testrole_sleep_s: 3\n");
        await using var session = await BrowserSession.StartAsync(browser, new Dictionary<string, string?> { ["Appliance:Engine:AnsibleDirectory"] = ansible.Path });
        var admin = await session.Host.AdminClientAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "GCO" }, version = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/hypervisors", new { kind = "VCenter", alias = "vc", host = "vcenter.example.local",
            username = "administrator@vsphere.local", password = new { newValue = EngineHost.Password }, datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "rhel9" })).StatusCode);
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        await page.ClickAsync("[data-testid='nav-deployment']");
        await page.Locator("[data-testid=not-implemented]").WaitForAsync();
        Assert.True(await page.IsDisabledAsync("[data-testid=run-plan]"));
        await page.CheckAsync("[data-testid=select-testrole]");
        await page.CheckAsync("[data-testid=select-testrolefailed]");
        await page.Locator("[data-testid=run-selected]", new() { HasTextString = "Run 2 selected" }).WaitForAsync();
        await page.Locator("[data-testid=gate]", new() { HasTextString = "No preflight has run yet" }).WaitForAsync();
        await page.FillAsync("[data-testid=override-reason]", OverrideReason);
        await page.ClickAsync("[data-testid=run-selected]");

        try
        {
            await page.WaitForURLAsync("**/runs/*", new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The run page did not open; the page says: {await page.InnerTextAsync("body")}");
        }
        Assert.Contains(OverrideReason, await page.InnerTextAsync("[data-testid=gate-override]"), StringComparison.Ordinal);
        var lines = page.Locator("[data-testid=run-log] [data-testid=log-line]");
        await page.Locator("[data-testid=run-log]").GetByText("Deploying prod under example.local").WaitForAsync();
        var early = await lines.CountAsync();
        await page.Locator("[data-testid=run-status] [data-status=failed]").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Contains("Role testrolefailed failed", await page.InnerTextAsync("[data-testid=run-message]"), StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=role-testrole]");
        await page.Locator("[data-testid=run-log]").GetByText("RECAP").WaitForAsync();
        Assert.True(await lines.CountAsync() > early, "the log grew while the role ran");
        await page.Locator("[data-testid=run-log]").GetByText("hypervisor password is ********").WaitForAsync();
        Assert.DoesNotContain(EngineHost.Password, await page.ContentAsync(), StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=show-vars]");
        Assert.Contains("\"environment_prefix\": \"prod\"", await page.Locator("[data-testid=vars-json]").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator(".mud-dialog").GetByText("Close").ClickAsync();

        await page.ClickAsync("[data-testid=collapse-all]");
        await page.Locator("[data-testid=run-log]").GetByText("ok: [localhost] testrole : Show the deployment's names").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
        await page.Locator("[data-testid=task-toggle]", new() { HasTextString = "Show the deployment's names" }).ClickAsync();
        await page.Locator("[data-testid=run-log]").GetByText("ok: [localhost] testrole : Show the deployment's names").WaitForAsync();

        await page.ClickAsync("[data-testid=role-testrolefailed]");
        await page.Locator("[data-testid=run-log]").GetByText("FAILED: [localhost] testrolefailed : Fail on purpose").WaitForAsync();
        await page.ClickAsync("[data-testid=log-status] >> text=failed");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=run-log] [data-testid=log-line]').length === 1");
        Assert.Contains("testrolefailed fails on purpose", await lines.First.InnerTextAsync(), StringComparison.Ordinal);
        await lines.First.Locator("button").ClickAsync();
        await page.Locator(".mud-dialog").GetByText("\"event\": \"runner_on_failed\"").WaitForAsync();
        await page.Locator(".mud-dialog").GetByText("Close").ClickAsync();


        await page.ClickAsync("[data-testid=nav-menu] >> text=Overview");
        await page.Locator("[data-testid=overview-last-run]", new() { HasTextString = "Last run" }).WaitForAsync();
        Assert.Contains("Last run #1: failed, 1 of 2 roles done, started by admin", await page.InnerTextAsync("[data-testid=overview-last-run]"), StringComparison.Ordinal);
        Assert.Contains("Deployment blocked: No preflight has run yet", await page.InnerTextAsync("[data-testid=overview-preflight]"), StringComparison.Ordinal);
        Assert.Empty(session.ConsoleErrors);
    }
}
