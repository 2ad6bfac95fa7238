using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.SecuritySettings;

public sealed class SecurityStepPageTests : ComponentTestBase
{
    private const string ProxyPassword = "Pr0xy-Page-Marker-8a0d";

    private Task<Runner.Appliance.Validation.Outcome> SaveProxyLoginAsync() => Services.GetRequiredService<SecuritySettingsService>().SaveAsync(new SecuritySettingsDto
    {
        ProxyEnabled = true, HttpProxy = "http://127.0.0.1:3128", ProxyUsername = "squid", ProxyPassword = new SecretInput(ProxyPassword),
        DeploymentUser = "runner", SshPrivateKey = new SecretInput(KeyFactory.SshPrivateKey()),
    }, "olga");

    [Fact]
    public async Task TheProxyLogin_SitsUnderTheProxyUrls_AndAStoredPasswordIsOnlySaidToBeSet()
    {
        Assert.True((await SaveProxyLoginAsync()).Succeeded);
        SignInAs("olga", Roles.Operator);

        var page = Render<SecurityStepPage>();

        page.WaitForAssertion(() => Assert.Equal("squid", page.Find("[data-testid=field-proxyUsername]").GetAttribute("value")));
        var password = page.Find("[data-testid=secret-proxyPassword]");
        Assert.Equal("set", password.QuerySelector("[data-testid=secret-state]")!.TextContent.Trim());
        Assert.Equal("password", password.QuerySelector("input")!.GetAttribute("type"));
        Assert.Contains("stored encrypted, never shown again", password.TextContent, StringComparison.Ordinal);
        Assert.Contains("the login goes below, not in the URL", page.Find("[data-testid=field-httpProxy]").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyPassword, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavingAProxyUrlWithALogin_ShowsTheErrorUnderThatUrl_AndKeepsTheStoredOne()
    {
        Assert.True((await SaveProxyLoginAsync()).Succeeded);
        SignInAs("olga", Roles.Operator);
        var page = Render<SecurityStepPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=field-httpProxy]")));

        await page.Find("[data-testid=field-httpProxy]").ChangeAsync(new ChangeEventArgs { Value = $"http://squid:{ProxyPassword}@127.0.0.1:3128" });
        await page.Find("[data-testid=save-security]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("HTTP proxy URL must not carry a login",
            page.Find("[data-testid=field-httpProxy]").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Equal("http://127.0.0.1:3128", (await Services.GetRequiredService<SecuritySettingsService>().GetAsync()).HttpProxy);
    }
}
