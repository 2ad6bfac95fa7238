using System.Net;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Account;

public sealed class TokenTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly ApplianceHost _host;

    public TokenTests() => _host = new ApplianceHost(_data.Path);

    [Fact]
    public async Task Token_IsABearerTokenValidForThirtyMinutes()
    {
        var client = _host.CreateClient();
        await Api.SetupAsync(client);

        var response = await Api.RequestTokenAsync(client, Api.AdminName, Api.AdminPassword);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("bearer", body.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(1800, body.RootElement.GetProperty("expires_in").GetInt32());
        Assert.Equal(3, body.RootElement.GetProperty("access_token").GetString()!.Split('.').Length);
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenForTheRightPassword()
    {
        var client = _host.CreateClient();
        await Api.SetupAsync(client);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await Api.RequestTokenAsync(client, Api.AdminName, "not-the-password-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var right = await Api.RequestTokenAsync(client, Api.AdminName, Api.AdminPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        var detail = (await Api.ProblemAsync(right)).GetProperty("detail").GetString();
        Assert.Contains("locked after 5 failed sign-ins", detail);
    }

    [Fact]
    public async Task FourWrongPasswords_DoNotLock()
    {
        var client = _host.CreateClient();
        await Api.SetupAsync(client);

        for (var i = 0; i < 4; i++)
            await Api.RequestTokenAsync(client, Api.AdminName, "not-the-password-" + i);

        Assert.Equal(HttpStatusCode.OK, (await Api.RequestTokenAsync(client, Api.AdminName, Api.AdminPassword)).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")]
    public async Task ApiWithoutAValidToken_Answers401ProblemDetails(string? authorization)
    {
        var client = _host.CreateClient();
        await Api.SetupAsync(client);
        if (authorization is not null)
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.GetAsync("/api/v1/configuration");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, (await Api.ProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task TokenFromAnotherAppliance_IsRefused()
    {
        using var otherData = new TempDirectory();
        using var other = new ApplianceHost(otherData.Path);
        var otherClient = other.CreateClient();
        await Api.SetupAsync(otherClient);
        var foreignToken = await Api.TokenAsync(otherClient);
        var client = _host.CreateClient();
        await Api.SetupAsync(client);

        var response = await client.WithToken(foreignToken).GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public void Dispose()
    {
        _host.Dispose();
        _data.Dispose();
    }
}
