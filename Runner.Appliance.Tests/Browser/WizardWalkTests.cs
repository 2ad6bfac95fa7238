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
    public async Task NewUser_WalksTheWholeWizard_CorrectingOneMistakePerStep_AndEndsOnACleanReview()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        var admin = await session.Host.AdminClientAsync();
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        // 1. Products: a capital in the prefix, then the right one.
        await page.ClickAsync("[data-testid=open-wizard]");
        await page.WaitForSelectorAsync("[data-testid=save-products]");
        await page.CheckAsync("[data-testid=product-EServices]");
        await page.FillAsync("[data-testid=concurrent-users]", "750");
        await page.FillAsync("[data-testid=environment-prefix]", "Prod");
        await page.FillAsync("[data-testid=base-domain]", "apps.example.local");
        await page.ClickAsync("[data-testid=save-products]");
        await page.GetByText("Environment prefix 'Prod' is not valid").WaitForAsync();
        await page.FillAsync("[data-testid=environment-prefix]", "prod");
        await page.ClickAsync("[data-testid=save-products]");
        await page.GetByText("Products and sizing saved.").WaitForAsync();

        // 2. Hypervisors: forget the password, then give it.
        await page.ClickAsync("[data-testid='step-wizard/hypervisors']");
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

        // 3. Zones: a gateway outside the subnet, then the right one; then the two other default zones.
        await page.ClickAsync("[data-testid='step-wizard/zones']");
        await AddZoneAsync(page, 100, "10.1.100", gateway: "10.1.200.1");
        await page.GetByText("Gateway 10.1.200.1 is outside subnet 10.1.100.0/24.").WaitForAsync();
        await page.FillAsync("[data-testid=field-gateway]", "10.1.100.1");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("Zone added.").First.WaitForAsync();
        await AddZoneAsync(page, 200, "10.1.200");
        await page.Locator("[data-testid=zones-table]").GetByText("LAN_APPS").WaitForAsync();
        await AddZoneAsync(page, 300, "192.168.30");
        await page.Locator("[data-testid=zones-table]").GetByText("DMZ").WaitForAsync();

        // 4. Services: an SMTP relay with a malformed sender, then the right one.
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

        // 5. Security: root as deployment user, then a real one, with a real SSH key.
        await page.ClickAsync("[data-testid='step-wizard/security']");
        await page.WaitForSelectorAsync("[data-testid=save-security]");
        await page.FillAsync("[data-testid=field-deploymentUser]", "root");
        await page.FillAsync("[data-testid=secret-sshPrivateKey] textarea", KeyFactory.SshPrivateKey());
        await page.ClickAsync("[data-testid=save-security]");
        await page.GetByText("Deployment user 'root' is not valid").WaitForAsync();
        await page.FillAsync("[data-testid=field-deploymentUser]", "runner");
        await page.ClickAsync("[data-testid=save-security]");
        await page.GetByText("Security settings saved.").WaitForAsync();

        // 6. Flows: a zone that does not exist, then the right one.
        await page.ClickAsync("[data-testid='step-wizard/flows']");
        await page.ClickAsync("[data-testid=add-flows]");
        await page.FillAsync("[data-testid=field-source]", "CORE");
        await page.FillAsync("[data-testid=field-destination]", "LAN_APPS");
        await page.FillAsync("[data-testid=field-ports]", "443");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("Source zone 'CORE' does not exist").WaitForAsync();
        await page.FillAsync("[data-testid=field-source]", "DMZ");
        await page.ClickAsync("[data-testid=save-item]");
        await page.GetByText("Flow added.").WaitForAsync();

        // 7. Architecture: generate, then give a VM an address of another zone, then a right one.
        await page.ClickAsync("[data-testid='step-wizard/architecture']");
        await page.ClickAsync("[data-testid=generate]");
        Assert.Equal("Tier M (Medium), 34 VMs: 34 added.", (await page.Locator("[data-testid=generate-summary]").InnerTextAsync()).Trim());
        await page.ClickAsync("[data-testid=apply-generation]");
        await page.GetByText("Architecture generated: 34 added.").WaitForAsync();
        await page.ClickAsync("[data-testid=edit-vm-prod-bastion-01]");
        await page.FillAsync("[data-testid=field-ipAddress]", "10.1.200.60");
        await page.ClickAsync("[data-testid=save-vm]");
        await page.GetByText("IP address 10.1.200.60 is outside zone LAN_INFRA's subnet 10.1.100.0/24").WaitForAsync();
        await page.FillAsync("[data-testid=field-ipAddress]", "10.1.100.90");
        await page.ClickAsync("[data-testid=save-vm]");
        await page.GetByText("prod-bastion-01 saved.").WaitForAsync();
        await page.Locator("[data-testid=edited-prod-bastion-01]").WaitForAsync();

        // 8. Review: nothing left to fix.
        await page.ClickAsync("[data-testid='step-wizard/review']");
        await page.Locator("[data-testid=review-clean]").WaitForAsync();

        var zones = await admin.GetFromJsonAsync<JsonElement>("/api/v1/zones");
        Assert.Equal(["LAN_INFRA", "LAN_APPS", "DMZ"], zones.EnumerateArray().Select(z => z.GetProperty("name").GetString()));
        Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/v1/hypervisors"))[0].GetProperty("passwordSet").GetBoolean());
        Assert.Empty(session.ConsoleErrors);
        if (Environment.GetEnvironmentVariable("RUNNER_SCREENSHOT_DIR") is { Length: > 0 } dir)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "review-step.png"), FullPage = true });
    }

    /// <summary>Adds the next default zone (the dialog proposes its name and the only hypervisor).</summary>
    private static async Task AddZoneAsync(IPage page, int vlan, string prefix, string? gateway = null)
    {
        await page.ClickAsync("[data-testid=add-zones]");
        await page.FillAsync("[data-testid=zone-vlan]", vlan.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("[data-testid=field-subnet]", $"{prefix}.0/24");
        await page.FillAsync("[data-testid=field-gateway]", gateway ?? $"{prefix}.1");
        await page.FillAsync("[data-testid=field-rangeStart]", $"{prefix}.50");
        await page.FillAsync("[data-testid=field-rangeEnd]", $"{prefix}.99");
        await page.FillAsync("[data-testid=field-dnsServers]", "10.1.0.10, 10.1.0.11");
        await page.FillAsync("[data-testid=field-ntpServers]", "10.1.0.20");
        await page.ClickAsync("[data-testid=save-item]");
    }

    [Fact]
    public async Task TheWizard_ResumesAtTheLastStep_InAnotherBrowser()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        await session.Host.AdminClientAsync();
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        await session.Page.ClickAsync("[data-testid='nav-wizard/zones']");
        await session.Page.WaitForSelectorAsync("[data-testid=zones-table]");
        var wizard = session.Host.Services.GetRequiredService<WizardService>();
        Assert.Equal("wizard/zones", await Eventually.UntilAsync(() => wizard.CurrentStepAsync(), step => step == "wizard/zones", TimeSpan.FromSeconds(10),
            "the wizard to record the zones step as the current one"));

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
