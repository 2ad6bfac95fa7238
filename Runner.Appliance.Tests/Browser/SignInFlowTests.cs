using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SignInFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task NewAppliance_LeadsToSetup_ThenSignsInThroughThePage_AndWorksOverTheCircuit()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        var page = session.Page;

        // First start: any page leads to the first-run page.
        await page.GotoAsync("/");
        Assert.EndsWith("/setup", page.Url);
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", "short");
        await page.FillAsync("#confirm", "short");
        await page.ClickAsync("[data-testid=setup-submit]");
        Assert.Contains("at least 12 are required", await page.InnerTextAsync("form"));
        await page.FillAsync("#password", Api.AdminPassword);
        await page.FillAsync("#confirm", Api.AdminPassword);
        await page.ClickAsync("[data-testid=setup-submit]");
        await session.WaitForCircuitAsync();
        Assert.Contains("admin · Admin", await page.InnerTextAsync("[data-testid=current-user]"));

        // Sign out, then sign in through the real page.
        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync("**/account/login");
        await session.SignInAsync("admin", "wrong-password-here");
        Assert.Contains("Wrong user name or password", await page.InnerTextAsync("[data-testid=login-error]"));
        await session.SignInAsync("admin", Api.AdminPassword);
        await session.WaitForCircuitAsync();

        // Navigate and save over the circuit.
        await page.ClickAsync("[data-testid='nav-wizard/products']");
        await page.WaitForSelectorAsync("[data-testid=save-products]");
        await page.CheckAsync("[data-testid=product-EServices]");
        await page.FillAsync("[data-testid=concurrent-users]", "750");
        await page.FillAsync("[data-testid=environment-prefix]", "prod");
        await page.FillAsync("[data-testid=base-domain]", "apps.example.local");
        await page.ClickAsync("[data-testid=save-products]");
        await page.GetByText("Products and sizing saved.").WaitForAsync();
        // ./bench or a docs refresh may ask for the README screenshot.
        if (Environment.GetEnvironmentVariable("RUNNER_SCREENSHOT") is { Length: > 0 } screenshot)
            await page.ScreenshotAsync(new() { Path = screenshot });

        var api = session.Host.CreateClient().WithToken(await Api.TokenAsync(session.Host.CreateClient()));
        var saved = await api.GetFromJsonAsync<JsonElement>("/api/v1/configuration");
        Assert.Equal("prod", saved.GetProperty("environmentPrefix").GetString());
        Assert.Equal(750, saved.GetProperty("concurrentUsers").GetInt32());
        Assert.Empty(session.ExternalRequests);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task DeactivatingAUser_SignsTheirOpenPageOut()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        var admin = await session.Host.AdminClientAsync();
        await Api.CreateUserAsync(admin, "olga", "Operator", "operator-password");
        await session.SignInAsync("olga", "operator-password");
        await session.WaitForCircuitAsync();
        await session.Page.ClickAsync("[data-testid='nav-wizard/products']");
        await session.Page.WaitForSelectorAsync("[data-testid=save-products]");

        await admin.PostAsync("/api/v1/users/olga/deactivate", null);

        await session.Page.WaitForURLAsync("**/account/login**", new() { Timeout = 10_000 });
        await session.SignInAsync("olga", "operator-password");
        Assert.Contains("deactivated", await session.Page.InnerTextAsync("[data-testid=login-error]"));
    }

    [Fact]
    public async Task IdleBrowser_IsSignedOutAfterTheIdleTimeout()
    {
        await using var session = await BrowserSession.StartAsync(browser,
            new Dictionary<string, string?> { ["Appliance:IdleTimeout"] = "00:00:02" });
        await session.Host.AdminClientAsync();
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();

        await session.Page.WaitForURLAsync("**/account/login?reason=idle", new() { Timeout = 15_000 });

        Assert.Contains("inactivity", await session.Page.InnerTextAsync("main"));
        await session.Page.GotoAsync("/wizard/products");
        Assert.Contains("/account/login", session.Page.Url);
    }

    [Fact]
    public async Task Viewer_DoesNotSeeOperatorActions_AndIsDeniedTheUsersPage()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        var admin = await session.Host.AdminClientAsync();
        await Api.CreateUserAsync(admin, "vera", "Viewer", "viewer-password1");
        await session.SignInAsync("vera", "viewer-password1");
        await session.WaitForCircuitAsync();

        await session.Page.GotoAsync("/wizard/products");
        await session.Page.WaitForSelectorAsync("[data-testid=read-only-note]");
        Assert.Equal(0, await session.Page.Locator("[data-testid=save-products]").CountAsync());
        Assert.Equal(0, await session.Page.Locator("[data-testid=nav-users]").CountAsync());

        await session.Page.GotoAsync("/users");
        await session.Page.WaitForURLAsync("**/account/access-denied**");
    }
}
