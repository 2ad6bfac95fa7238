using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

/// <summary>A newcomer's first minute: the empty Overview offers the demo site, one click loads it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoSiteTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheEmptyOverview_LoadsTheDemoSite_ThenNoLongerOffersIt()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        await session.Host.AdminClientAsync();
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        await page.Locator("[data-testid=demo-site]").WaitForAsync();
        await page.ClickAsync("[data-testid=load-demo]");

        await page.Locator("[data-testid=overview-status]", new() { HasTextString = "prefix demo" }).WaitForAsync();
        await page.Locator("[data-testid=overview-architecture]", new() { HasTextString = "35 VMs, tier M" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=demo-site]").CountAsync());
        Assert.Empty(session.ConsoleErrors);
    }
}
