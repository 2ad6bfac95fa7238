using System.Net;
using System.Net.Http.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Security;

/// <summary>One appliance with one account per role, shared by the matrix.</summary>
public sealed class RoleMatrixFixture : AdminAppliance
{
    public Dictionary<string, string> Tokens { get; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var admin = Admin;
        await Api.CreateUserAsync(admin, "oper", "Operator", "operator-password");
        await Api.CreateUserAsync(admin, "view", "Viewer", "viewer-password1");
        var client = Host.CreateClient();
        Tokens["Admin"] = await Api.TokenAsync(client);
        Tokens["Operator"] = await Api.TokenAsync(client, "oper", "operator-password");
        Tokens["Viewer"] = await Api.TokenAsync(client, "view", "viewer-password1");
    }
}

public sealed class RoleMatrixTests(RoleMatrixFixture fixture) : IClassFixture<RoleMatrixFixture>
{
    // An invalid body: a caller who is allowed in gets 400 (validation), one who is not gets 403,
    // and nothing in the store changes either way.
    private static readonly object InvalidSettings = new { environmentPrefix = "", baseDomain = "", concurrentUsers = 0, products = Array.Empty<string>() };

    [Theory]
    [InlineData("Admin", "GET", "/api/v1/configuration", HttpStatusCode.OK)]
    [InlineData("Operator", "GET", "/api/v1/configuration", HttpStatusCode.OK)]
    [InlineData("Viewer", "GET", "/api/v1/configuration", HttpStatusCode.OK)]
    [InlineData("Admin", "PUT", "/api/v1/configuration", HttpStatusCode.BadRequest)]
    [InlineData("Operator", "PUT", "/api/v1/configuration", HttpStatusCode.BadRequest)]
    [InlineData("Viewer", "PUT", "/api/v1/configuration", HttpStatusCode.Forbidden)]
    [InlineData("Admin", "GET", "/api/v1/users", HttpStatusCode.OK)]
    [InlineData("Operator", "GET", "/api/v1/users", HttpStatusCode.Forbidden)]
    [InlineData("Viewer", "GET", "/api/v1/users", HttpStatusCode.Forbidden)]
    [InlineData("Operator", "POST", "/api/v1/users", HttpStatusCode.Forbidden)]
    [InlineData("Viewer", "GET", "/api/v1/me", HttpStatusCode.OK)]
    [InlineData("Viewer", "GET", "/api/v1/virtual-machines", HttpStatusCode.OK)]
    [InlineData("Viewer", "GET", "/api/v1/architecture/recap", HttpStatusCode.OK)]
    [InlineData("Viewer", "GET", "/api/v1/architecture/inventory.json", HttpStatusCode.OK)]
    [InlineData("Viewer", "POST", "/api/v1/architecture/generate", HttpStatusCode.Forbidden)]
    [InlineData("Operator", "POST", "/api/v1/architecture/generate", HttpStatusCode.BadRequest)]
    [InlineData("Viewer", "PUT", "/api/v1/virtual-machines/1", HttpStatusCode.Forbidden)]
    [InlineData("Operator", "PUT", "/api/v1/virtual-machines/1", HttpStatusCode.BadRequest)] // allowed; the body (general settings) is not a VM
    [InlineData(null, "GET", "/api/v1/virtual-machines", HttpStatusCode.Unauthorized)]
    [InlineData("Viewer", "GET", "/api/v1/plan", HttpStatusCode.OK)]
    [InlineData("Viewer", "GET", "/api/v1/runs", HttpStatusCode.OK)]
    [InlineData("Viewer", "POST", "/api/v1/runs", HttpStatusCode.Forbidden)]
    [InlineData("Viewer", "POST", "/api/v1/runs/1/cancel", HttpStatusCode.Forbidden)]
    [InlineData("Operator", "POST", "/api/v1/runs/1/resume", HttpStatusCode.BadRequest)] // allowed; the body (general settings) is not a resume request
    [InlineData(null, "GET", "/api/v1/runs", HttpStatusCode.Unauthorized)]
    [InlineData(null, "GET", "/api/v1/configuration", HttpStatusCode.Unauthorized)]
    [InlineData(null, "PUT", "/api/v1/configuration", HttpStatusCode.Unauthorized)]
    [InlineData(null, "GET", "/api/v1/users", HttpStatusCode.Unauthorized)]
    public async Task Role_GetsTheExpectedStatus(string? role, string method, string path, HttpStatusCode expected)
    {
        var client = fixture.Host.CreateClient();
        if (role is not null)
            client.WithToken(fixture.Tokens[role]);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST")
            request.Content = JsonContent.Create(InvalidSettings);

        var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            await Api.ProblemAsync(response);
    }
}
