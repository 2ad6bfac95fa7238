using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Features.Credentials;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class CredentialsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task AnAdmin_SeesOutputsByName_AndAValueOnlyAfterTypingTheirPasswordAgain()
    {
        await using var session = await BrowserSession.StartAsync(browser);
        await session.Host.AdminClientAsync();
        const string token = "hvs-Browser-Token-7c1d0e55a2";
        await session.Host.Services.GetRequiredService<RoleOutputs>().StoreAsync(1, "testrole", new JsonObject { ["root_token"] = token }, CancellationToken.None);
        await session.SignInAsync(Api.AdminName, Api.AdminPassword);
        await session.WaitForCircuitAsync();
        var page = session.Page;

        await page.ClickAsync("[data-testid=nav-credentials]");
        await page.WaitForSelectorAsync("[data-testid=output-testrole-root_token]");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=reveal-testrole-root_token]");
        await page.FillAsync("[data-testid=reveal-password]", "not-my-password");
        await page.ClickAsync("[data-testid=reveal-confirm]");
        await page.GetByText("That is not your password. Enter the password you signed in with.").WaitForAsync();
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);

        await page.FillAsync("[data-testid=reveal-password]", Api.AdminPassword);
        await page.ClickAsync("[data-testid=reveal-confirm]");
        var revealed = page.Locator("[data-testid=revealed-value]");
        await revealed.WaitForAsync();
        Assert.Equal($"\"{token}\"", await revealed.InputValueAsync());
        Assert.Empty(session.ConsoleErrors);
    }
}
