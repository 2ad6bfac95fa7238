using Bunit;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Configuration;

public sealed class ProductsStepPageTests : ComponentTestBase
{
    [Fact]
    public void Viewer_SeesTheSettingsButNoSaveAction()
    {
        SignInAs("val", Roles.Viewer);

        var page = Render<ProductsStepPage>();

        Assert.Empty(page.FindAll("[data-testid=save-products]"));
        Assert.NotNull(page.Find("[data-testid=read-only-note]"));
    }

    [Fact]
    public void Operator_SeesTheSaveAction()
    {
        SignInAs("olga", Roles.Operator);

        var page = Render<ProductsStepPage>();

        Assert.NotNull(page.Find("[data-testid=save-products]"));
        Assert.Empty(page.FindAll("[data-testid=read-only-note]"));
    }

    [Fact]
    public async Task SavingEmptySettings_ShowsEachErrorNextToItsField_AndSavesNothing()
    {
        SignInAs("olga", Roles.Operator);
        var page = Render<ProductsStepPage>();

        await page.Find("[data-testid=save-products] ").ClickAsync(new());

        page.WaitForAssertion(() =>
        {
            Assert.Contains("Environment prefix is required", page.Find("[data-testid=environment-prefix]").Closest(".mud-input-control")!.TextContent);
            Assert.Contains("Base domain is required", page.Find("[data-testid=base-domain]").Closest(".mud-input-control")!.TextContent);
            Assert.Contains("Select at least one product", page.Markup);
        });
        Assert.Equal(0, (await new ConfigurationService(Store, new Runner.Appliance.Features.Audit.AuditLog(Store, TimeProvider.System), TimeProvider.System).GetGeneralAsync()).Version);
    }

    [Theory]
    [InlineData("500", "tier S (Small, 1–500 users)")]
    [InlineData("501", "tier M (Medium, 501–2,000 users)")]
    [InlineData("10001", "tier XL (Extra large, 10,001–1,000,000 users)")]
    public async Task TheUsersField_SaysWhichSizingTierItLandsIn(string users, string tier)
    {
        SignInAs("olga", Roles.Operator);
        var page = Render<ProductsStepPage>();

        await page.Find("[data-testid=concurrent-users]").ChangeAsync(new() { Value = users });

        page.WaitForAssertion(() => Assert.Contains($"Sizes the VM architecture: {tier}", page.Find("[data-testid=concurrent-users]").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
    }
}
