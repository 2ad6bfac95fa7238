using System.Net;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class UsersPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_CreatesAUser_FixingABadPassword_ThenDeactivatesThem()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        await session.Host.AdminClientAsync();
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        await page.ClickAsync("[data-testid=nav-users]");
        await page.WaitForSelectorAsync("[data-testid=users-table]");
        await page.ClickAsync("[data-testid=new-user]");
        await page.FillAsync("[data-testid=new-username]", "tech1");
        await page.FillAsync("[data-testid=new-password]", "short");
        await page.ClickAsync("[data-testid=create-user]");
        await page.GetByText("Password has 5 characters; at least 12 are required.").WaitForAsync();
        await page.FillAsync("[data-testid=new-password]", "field-technician-1");
        await page.ClickAsync("[data-testid=create-user]");
        await page.GetByText("User created.").WaitForAsync();
        await page.Locator("[data-testid=users-table]").GetByText("tech1").WaitForAsync();

        await page.ClickAsync("[data-testid=toggle-tech1]");
        await page.GetByText("tech1 deactivated.").WaitForAsync();

        var refused = await Api.RequestTokenAsync(session.Host.CreateClient(), "tech1", "field-technician-1");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("deactivated", (await Api.ProblemAsync(refused)).GetProperty("detail").GetString());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Admin_CannotDeactivateThemselvesAsTheLastAdministrator()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        await session.Host.AdminClientAsync();
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();

        await session.Page.ClickAsync("[data-testid=nav-users]");
        await session.Page.WaitForSelectorAsync("[data-testid=users-table]");
        await session.Page.ClickAsync($"[data-testid=toggle-{Api.AdminName}]");

        Assert.Contains("last active administrator", await session.Page.InnerTextAsync("[data-testid=users-problem]"));
    }
}
