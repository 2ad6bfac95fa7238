using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Runner.Appliance.Features.Wizard;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

/// <summary>The wizard as a technician walks it: one wrong entry per step, corrected from the message.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WizardWalkTests(BrowserFixture browser)
{
    [Fact]
    public async Task Technician_FillsHypervisorAndZones_CorrectingEachMistakeFromItsMessage()
    {
        await using var session = await BrowserSession.StartAsync(browser.Browser);
        var admin = await session.Host.AdminClientAsync();
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        // Hypervisors: forget the password, then give it.
        await page.ClickAsync("[data-testid='nav-wizard/hypervisors']");
        await page.ClickAsync("[data-testid=add-hypervisors]");
        await page.FillAsync("[data-testid=field-alias]", "vcenter-prod");
        await page.FillAsync("[data-testid=field-host]", "vcenter.infra.example.local");
        await page.FillAsync("[data-testid=field-username]", "administrator@vsphere.local");
        await page.FillAsync("[data-testid=field-datacenter]", "DC0");
        await page.FillAsync("[data-testid=field-cluster]", "DC0_C0");
        await page.FillAsync("[data-testid=field-datastore]", "LocalDS_0");
        await page.FillAsync("[data-testid=field-network]", "VM Network");
        await page.FillAsync("[data-testid=field-template]", "rhel9-template");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("Password to log in to the vCenter is required.").WaitForAsync();
        await page.FillAsync("[data-testid=secret-password] input", "vcenter-password");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("Hypervisor added.").WaitForAsync();
        await page.Locator("[data-testid=hypervisors-table]").GetByText("password set").WaitForAsync();

        // Zones: a gateway outside the subnet, then the right one.
        await page.ClickAsync("[data-testid='nav-wizard/zones']");
        await page.ClickAsync("[data-testid=add-zones]");
        await page.FillAsync("[data-testid=zone-name] input, input[data-testid=zone-name]", "LAN_INFRA");
        await page.FillAsync("[data-testid=zone-vlan]", "100");
        await page.FillAsync("[data-testid=field-subnet]", "10.1.100.0/24");
        await page.FillAsync("[data-testid=field-gateway]", "10.1.200.1");
        await page.FillAsync("[data-testid=field-rangeStart]", "10.1.100.50");
        await page.FillAsync("[data-testid=field-rangeEnd]", "10.1.100.99");
        await page.FillAsync("[data-testid=field-dnsServers]", "10.1.0.10, 10.1.0.11");
        await page.FillAsync("[data-testid=field-ntpServers]", "10.1.0.20");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("Gateway 10.1.200.1 is outside subnet 10.1.100.0/24.").WaitForAsync();
        await page.FillAsync("[data-testid=field-gateway]", "10.1.100.1");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("Zone added.").WaitForAsync();

        // Services: an SMTP relay with a malformed sender, then the right one.
        await page.ClickAsync("[data-testid='step-wizard/services']");
        await page.ClickAsync("[data-testid=add-smtp]");
        await page.FillAsync("[data-testid=field-alias]", "relay");
        await page.FillAsync("[data-testid=field-host]", "smtp.example.local");
        await page.FillAsync("[data-testid=field-fromAddress]", "runner at example.local");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("From address 'runner at example.local' is not an e-mail address").WaitForAsync();
        await page.FillAsync("[data-testid=field-fromAddress]", "runner@example.local");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("SMTP server added.").WaitForAsync();
        Assert.Equal("runner@example.local", (await admin.GetFromJsonAsync<JsonElement>("/api/v1/smtp"))[0].GetProperty("fromAddress").GetString());

        var zones = await admin.GetFromJsonAsync<JsonElement>("/api/v1/zones");
        Assert.Equal("10.1.100.1", zones[0].GetProperty("gateway").GetString());
        Assert.Equal(2, zones[0].GetProperty("dnsServers").GetArrayLength());
        var hypervisors = await admin.GetFromJsonAsync<JsonElement>("/api/v1/hypervisors");
        Assert.True(hypervisors[0].GetProperty("passwordSet").GetBoolean());
        Assert.Empty(session.ConsoleErrors);
        if (Environment.GetEnvironmentVariable("RUNNER_SCREENSHOT_DIR") is { Length: > 0 } dir)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "zones-step.png") });
    }

    [Fact]
    public async Task TheWizard_ResumesAtTheLastStep_InAnotherBrowser()
    {
        await using var session = await BrowserSession.StartAsync(browser.Browser);
        await session.Host.AdminClientAsync();
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        await session.Page.ClickAsync("[data-testid='nav-wizard/zones']");
        await session.Page.WaitForSelectorAsync("[data-testid=zones-table]");
        var wizard = session.Host.Services.GetRequiredService<WizardService>();
        for (var i = 0; i < 100 && await wizard.CurrentStepAsync() != "wizard/zones"; i++)
            await Task.Delay(100);
        Assert.Equal("wizard/zones", await wizard.CurrentStepAsync());

        await using var other = await browser.Browser.NewContextAsync(new() { BaseURL = session.BaseAddress.ToString() });
        var page = await other.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", Api.AdminName);
        await page.FillAsync("#password", Api.AdminPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        await page.GotoAsync("/wizard");

        await page.WaitForURLAsync("**/wizard/zones");
        Assert.Contains("mud-chip-color-primary", await page.GetAttributeAsync("[data-testid='step-wizard/zones']", "class"));
    }
}
