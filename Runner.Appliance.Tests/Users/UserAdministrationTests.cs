using System.Net;
using System.Net.Http.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Users;

public sealed class UserAdministrationTests : AdminAppliance
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Api.CreateUserAsync(Admin, "oper", "Operator", "operator-password");
    }

    [Fact]
    public async Task DeactivatedUser_IsRefusedAtSignIn_AndTheirTokenStopsWorking()
    {
        var client = Host.CreateClient();
        var token = await Api.TokenAsync(client, "oper", "operator-password");

        var deactivate = await Admin.PostAsync("/api/v1/users/oper/deactivate", null);
        var signIn = await Api.RequestTokenAsync(client, "oper", "operator-password");
        var call = await Host.CreateClient().WithToken(token).GetAsync("/api/v1/configuration");

        Assert.Equal(HttpStatusCode.NoContent, deactivate.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("deactivated", (await Api.ProblemAsync(signIn)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
        var audit = (await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/audit"))[0];
        Assert.Equal("oper", audit.GetProperty("item").GetString());
        Assert.Equal("deactivated", audit.GetProperty("action").GetString());
        Assert.Equal("admin", audit.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task ReactivatedUser_CanSignInAgain()
    {
        await Admin.PostAsync("/api/v1/users/oper/deactivate", null);
        await Admin.PostAsync("/api/v1/users/oper/activate", null);

        Assert.NotEmpty(await Api.TokenAsync(Host.CreateClient(), "oper", "operator-password"));
    }

    [Fact]
    public async Task RoleChange_InvalidatesTokensIssuedBefore()
    {
        var token = await Api.TokenAsync(Host.CreateClient(), "oper", "operator-password");

        var change = await Admin.PutAsJsonAsync("/api/v1/users/oper/role", new { role = "Viewer" });
        var call = await Host.CreateClient().WithToken(token).GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
        var fresh = await Api.TokenAsync(Host.CreateClient(), "oper", "operator-password");
        Assert.Contains("Viewer", await Host.CreateClient().WithToken(fresh).GetStringAsync("/api/v1/me"));
    }

    [Fact]
    public async Task TheLastActiveAdministrator_CannotBeDeactivatedOrDemoted()
    {
        var deactivate = await Admin.PostAsync("/api/v1/users/admin/deactivate", null);
        var demote = await Admin.PutAsJsonAsync("/api/v1/users/admin/role", new { role = "Operator" });

        Assert.Equal(HttpStatusCode.BadRequest, deactivate.StatusCode);
        Assert.Contains("last active administrator", (await Api.ProblemAsync(deactivate)).GetProperty("errors").GetProperty("isActive")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, demote.StatusCode);
        Assert.Contains("last active administrator", (await Api.ProblemAsync(demote)).GetProperty("errors").GetProperty("role")[0].GetString());
    }

    [Fact]
    public async Task PasswordReset_LiftsALockout()
    {
        var client = Host.CreateClient();
        for (var i = 0; i < 5; i++)
            await Api.RequestTokenAsync(client, "oper", "wrong-password-" + i);

        var reset = await Admin.PostAsJsonAsync("/api/v1/users/oper/password", new { password = "a-brand-new-password" });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.NotEmpty(await Api.TokenAsync(client, "oper", "a-brand-new-password"));
    }

    [Theory]
    [InlineData("oper", "Operator", "long-enough-password", "username", "already taken")]
    [InlineData("x", "Operator", "long-enough-password", "username", "expected 3 to 64")]
    [InlineData("bad name!", "Operator", "long-enough-password", "username", "not allowed")]
    [InlineData("newuser", "Root", "long-enough-password", "role", "expected one of Admin, Operator, Viewer")]
    [InlineData("newuser", "Viewer", "short", "password", "at least 12")]
    public async Task CreateUser_WithABadField_IsRejectedNamingTheField(string username, string role, string password, string field, string message)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/users", new { username, password, role });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemAsync(response)).GetProperty("errors");
        Assert.Contains(message, errors.GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task UnknownUser_Answers404()
    {
        var response = await Admin.PostAsync("/api/v1/users/nobody/deactivate", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nobody", (await Api.ProblemAsync(response)).GetProperty("detail").GetString());
    }
}
