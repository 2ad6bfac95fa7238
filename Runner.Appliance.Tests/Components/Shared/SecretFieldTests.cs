using Bunit;
using Runner.Appliance.Components.Shared;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Components.Shared;

public sealed class SecretFieldTests : ComponentTestBase
{
    [Fact]
    public void StoredSecret_ShowsSet_AndAnEmptyPasswordInput()
    {
        var field = Render<SecretField>(p => p.Add(f => f.Label, "Password").Add(f => f.Field, "password").Add(f => f.IsSet, true));

        Assert.Equal("set", field.Find("[data-testid=secret-state]").TextContent.Trim());
        var input = field.Find("input");
        Assert.Equal("password", input.GetAttribute("type"));
        Assert.True(string.IsNullOrEmpty(input.GetAttribute("value")));
    }

    [Fact]
    public void NoSecret_ShowsNotSet_AndNoClearButton()
    {
        var field = Render<SecretField>(p => p.Add(f => f.Label, "Password").Add(f => f.Field, "password").Add(f => f.IsSet, false));

        Assert.Equal("not set", field.Find("[data-testid=secret-state]").TextContent.Trim());
        Assert.Empty(field.FindAll("[data-testid=secret-clear]"));
    }

    [Fact]
    public void Typing_ReplacesAndClear_Clears()
    {
        SecretInput value = SecretInput.Keep;
        var field = Render<SecretField>(p => p.Add(f => f.Label, "Password").Add(f => f.Field, "password").Add(f => f.IsSet, true)
            .Add(f => f.Value, value).Add(f => f.ValueChanged, v => value = v));

        field.Find("input").Change("new-secret-value");
        Assert.Equal(new SecretInput("new-secret-value"), value);

        field.Render(p => p.Add(f => f.Value, value));
        Assert.Equal("will be replaced", field.Find("[data-testid=secret-state]").TextContent.Trim());

        field.Find("[data-testid=secret-clear]").Click();
        Assert.True(value.Clear);
    }

    [Fact]
    public void ErrorText_IsShownUnderTheField()
    {
        var field = Render<SecretField>(p => p.Add(f => f.Label, "Password").Add(f => f.Field, "password")
            .Add(f => f.ErrorText, "Password is required for vCenter login."));

        Assert.Contains("Password is required for vCenter login.", field.Markup);
    }
}
