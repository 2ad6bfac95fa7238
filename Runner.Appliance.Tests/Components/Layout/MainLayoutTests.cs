using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using MudBlazor;
using Runner.Appliance.Components.Layout;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Components.Layout;

public sealed class MainLayoutTests : ComponentTestBase
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

    [Fact]
    public void Layout_ShowsTheApplianceNameVersionAndUser()
    {
        SignInAs("alice", Roles.Operator);

        var layout = RenderLayout();

        Assert.Equal(AppInfo.Name, layout.Find("[data-testid=app-name]").TextContent.Trim());
        Assert.Contains(AppInfo.Version, layout.Find("[data-testid=app-version]").TextContent);
        Assert.Contains("alice · Operator", layout.Find("[data-testid=current-user]").TextContent);
        Assert.Contains("page body", layout.Markup);
    }

    [Fact]
    public void Navigation_ShowsTheWizardStepsDeploymentAndDiagnostics()
    {
        SignInAs("alice", Roles.Operator);

        var layout = RenderLayout();

        foreach (var step in Navigation.WizardSteps)
            Assert.Contains(step.Title, layout.Find($"[data-testid='nav-{step.Href}']").TextContent);
        Assert.NotNull(layout.Find("[data-testid=nav-deployment]"));
        Assert.NotNull(layout.Find("[data-testid=nav-diagnostics]"));
    }

    [Fact]
    public async Task Navigation_ShowsUsersToAdminsOnly()
    {
        SignInAs("root", Roles.Admin);
        Assert.NotEmpty(RenderLayout().FindAll("[data-testid=nav-users]"));

        await DisposeComponentsAsync();
        SignInAs("val", Roles.Viewer);
        Assert.Empty(RenderLayout().FindAll("[data-testid=nav-users]"));
    }

    [Fact]
    public void StepsNotBuiltYet_AreShownDisabled_NotAsWorkingLinks()
    {
        SignInAs("alice", Roles.Operator);

        var layout = RenderLayout();

        Assert.Contains("mud-nav-link-disabled", layout.Find("[data-testid='nav-diagnostics']").ClassName);
        Assert.DoesNotContain("mud-nav-link-disabled", layout.Find("[data-testid='nav-wizard/products']").ClassName);
        Assert.DoesNotContain("mud-nav-link-disabled", layout.Find("[data-testid='nav-deployment']").ClassName);
    }

    [Fact]
    public async Task DarkModeToggle_SwitchesTheTheme_AndIsRememberedForTheUser()
    {
        var user = new Runner.Appliance.Security.ApplianceUser { Id = "user-1", UserName = "alice" };
        await using (var db = Store.CreateDbContext())
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
        }
        SignInAs("alice", Roles.Operator, user.Id);
        var layout = RenderLayout();
        Assert.False(IsDark(layout));

        await layout.Find("[data-testid=dark-mode-toggle]").ClickAsync(new());

        Assert.True(IsDark(layout));
        await DisposeComponentsAsync();
        var again = RenderLayout();
        again.WaitForAssertion(() => Assert.True(IsDark(again)));
    }

    private static bool IsDark(IRenderedComponent<MainLayout> layout) =>
        layout.Find("[data-testid=dark-mode-toggle]").GetAttribute("aria-pressed") == "true";

    [Fact]
    public void SignOut_IsAPostFormWithAnAntiforgeryToken()
    {
        SignInAs("alice", Roles.Viewer);

        var form = RenderLayout().Find("form#logout-form");

        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("account/logout", form.GetAttribute("action"));
        Assert.Equal("1800", form.GetAttribute("data-idle-seconds"));
    }
}
