using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Configuration;

public sealed class GeneralSettingsValidatorTests
{
    private static GeneralSettingsDto Good() => new()
    {
        EnvironmentPrefix = "prod",
        BaseDomain = "apps.example.local",
        ConcurrentUsers = 500,
        Products = ["EServices"],
    };

    [Fact]
    public void GoodSettings_AreAccepted() => Assert.True(GeneralSettingsValidator.Validate(Good()).IsEmpty);

    [Theory]
    [InlineData("environmentPrefix", "", "is required")]
    [InlineData("environmentPrefix", "Prod", "lowercase")]
    [InlineData("environmentPrefix", "1prod", "starting with a letter")]
    [InlineData("environmentPrefix", "prod-", "not valid")]
    [InlineData("environmentPrefix", "averyverylongprefix", "1 to 12")]
    [InlineData("baseDomain", "", "is required")]
    [InlineData("baseDomain", "localhost", "not a DNS domain name")]
    [InlineData("baseDomain", "exa mple.local", "not a DNS domain name")]
    [InlineData("baseDomain", "-bad.example.local", "not a DNS domain name")]
    [InlineData("baseDomain", "example.123", "not a DNS domain name")]
    public void BadName_IsRejectedNamingTheFieldAndTheExpectation(string field, string value, string message)
    {
        var input = Good();
        if (field == "environmentPrefix") input.EnvironmentPrefix = value; else input.BaseDomain = value;

        var errors = GeneralSettingsValidator.Validate(input);

        Assert.Equal([field], errors.Fields);
        Assert.Contains(message, errors.For(field));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1_000_001)]
    public void ConcurrentUsersOutOfRange_IsRejected(int users)
    {
        var input = Good();
        input.ConcurrentUsers = users;

        Assert.Contains("expected a number from 1 to 1,000,000", GeneralSettingsValidator.Validate(input).For("concurrentUsers"));
    }

    [Fact]
    public void NoProductOrAnUnknownOne_IsRejected()
    {
        var none = Good();
        none.Products = [];
        var unknown = Good();
        unknown.Products = ["EServices", "Nope"];

        Assert.Contains("at least one product", GeneralSettingsValidator.Validate(none).For("products"));
        Assert.Contains("'Nope' is not known", GeneralSettingsValidator.Validate(unknown).For("products"));
    }
}

public sealed class GeneralSettingsApiTests : AdminAppliance
{
    [Fact]
    public async Task Save_ThenRead_ReturnsTheSettingsAsWritten_AndWhoSavedThem_AndNothingIsRewrittenSilently()
    {
        var rewritten = await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "Apps.Example.Local.", concurrentUsers = 800, products = new[] { "GCO", "EServices", "GCO" }, version = 0 });
        var save = await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "apps.example.local", concurrentUsers = 800, products = new[] { "GCO", "EServices" }, version = 0 });
        var read = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/configuration");

        Assert.Equal(HttpStatusCode.BadRequest, rewritten.StatusCode);
        var errors = (await Api.ProblemAsync(rewritten)).GetProperty("errors");
        Assert.Equal("Write the base domain in lower case without a final dot: 'apps.example.local'.", errors.GetProperty("baseDomain")[0].GetString());
        Assert.Equal("Product 'GCO' is listed 2 times; list each product once.", errors.GetProperty("products")[0].GetString());
        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
        Assert.Equal("apps.example.local", read.GetProperty("baseDomain").GetString());
        Assert.Equal(1, read.GetProperty("version").GetInt32());
        Assert.Equal("admin", read.GetProperty("updatedBy").GetString());
        var audit = (await Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit"))[0];
        Assert.Equal("products and sizing", audit.GetProperty("subject").GetString());
        Assert.Contains("baseDomain", audit.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task SaveBasedOnAStaleVersion_IsAConflict_AndChangesNothing()
    {
        await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 100, products = new[] { "GCO" }, version = 0 });

        var stale = await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "test", baseDomain = "example.local", concurrentUsers = 100, products = new[] { "GCO" }, version = 0 });
        var read = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/configuration");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("changed by admin", (await Api.ProblemAsync(stale)).GetProperty("detail").GetString());
        Assert.Equal("prod", read.GetProperty("environmentPrefix").GetString());
    }

    [Fact]
    public async Task InvalidSave_ReportsEveryFieldAndChangesNothing()
    {
        var response = await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "PROD", baseDomain = "nodots", concurrentUsers = 0, products = Array.Empty<string>(), version = 0 });
        var read = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/configuration");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemAsync(response)).GetProperty("errors");
        Assert.Equal(["baseDomain", "concurrentUsers", "environmentPrefix", "products"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(0, read.GetProperty("version").GetInt32());
    }
}
