using System.Net;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Setup;

public sealed class FirstRunTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly ApplianceHost _host;

    public FirstRunTests() => _host = new ApplianceHost(_data.Path);

    [Theory]
    [InlineData("/")]
    [InlineData("/users")]
    [InlineData("/wizard/products")]
    [InlineData("/account/login")]
    public async Task EveryPage_RedirectsToSetup_WhileNoUserExists(string page)
    {
        var client = _host.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/setup", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Setup_CreatesTheAdministrator_AndIsRefusedOnceAUserExists()
    {
        var client = _host.CreateClient(new() { AllowAutoRedirect = false });

        var first = await Api.SetupAsync(client);
        var second = await Api.SetupAsync(client, "intruder", "another-long-password");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already set up", (await Api.ProblemAsync(second)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.RequestTokenAsync(client, "intruder", "another-long-password")).StatusCode);
        var me = await client.WithToken(await Api.TokenAsync(client)).GetStringAsync("/api/v1/me");
        Assert.Contains("\"Admin\"", me);
    }

    [Fact]
    public async Task AfterSetup_PagesAskForSignInInsteadOfSetup()
    {
        var client = _host.CreateClient(new() { AllowAutoRedirect = false });
        await Api.SetupAsync(client);

        var response = await client.GetAsync("/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/account/login", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Setup_WithAShortPassword_IsRejectedByField_AndCreatesNothing()
    {
        var client = _host.CreateClient(new() { AllowAutoRedirect = false });

        var response = await Api.SetupAsync(client, "admin", "too-short");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemAsync(response)).GetProperty("errors");
        Assert.Contains("at least 12", errors.GetProperty("password")[0].GetString());
        Assert.Equal("/setup", (await client.GetAsync("/")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TwoConcurrentSetups_CreateExactlyOneAdministrator()
    {
        var client = _host.CreateClient();

        var results = await Task.WhenAll(
            Api.SetupAsync(client, "first-admin", "first-admin-password"),
            Api.SetupAsync(client, "second-admin", "second-admin-password"));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Conflict);
    }

    public void Dispose()
    {
        _host.Dispose();
        _data.Dispose();
    }
}
