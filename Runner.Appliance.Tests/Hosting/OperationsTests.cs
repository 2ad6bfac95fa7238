using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Hosting;

public sealed class OperationsTests(AdminAppliance fixture) : IClassFixture<AdminAppliance>
{
    [Fact]
    public async Task Healthz_ReportsHealthyWithTheStoreCheck()
    {
        var response = await fixture.Host.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var store = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "store");
        Assert.Equal("Healthy", store.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_ArePrometheusTextWithRequestsAndDatabaseSize()
    {
        await fixture.Host.CreateClient().GetAsync("/healthz");

        var text = await fixture.Host.CreateClient().GetStringAsync("/metrics");

        Assert.Contains("http_requests_received_total{", text);
        Assert.Contains("http_request_duration_seconds_bucket{", text);
        Assert.Contains("runner_runs_finished_total", text);
        Assert.Contains("runner_events_ingested_total", text);
        var size = text.Split('\n').Single(l => l.StartsWith("runner_database_size_bytes ", StringComparison.Ordinal));
        Assert.True(double.Parse(size.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/api/v1/me")]
    [InlineData("/healthz")]
    public async Task Responses_CarryTheSecurityHeaders(string path)
    {
        var response = await fixture.Host.CreateClient().GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("http", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        var json = await fixture.Host.CreateClient().GetStringAsync("/openapi/v1.json");

        using var document = JsonDocument.Parse(json);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/token", out _));
        Assert.True(paths.TryGetProperty("/api/v1/setup", out _));
        Assert.True(paths.TryGetProperty("/api/v1/users", out _));
    }

    [Fact]
    public async Task ApiReference_IsServedFromTheApplianceItself()
    {
        var html = await fixture.Host.CreateClient().GetStringAsync("/api-reference/");

        Assert.Contains("openapi/v1.json", html);
        Assert.DoesNotContain("cdn.", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fonts.scalar.com", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Store_IsMigratedInWalModeWithForeignKeys()
    {
        using var connection = new SqliteConnection($"Data Source={fixture.Host.DatabasePath};Foreign Keys=True");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode; ";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "SELECT COUNT(*) FROM __EFMigrationsHistory";
        Assert.True((long)command.ExecuteScalar()! >= 1);
    }

    [Fact]
    public async Task LogFile_IsStructuredAndHoldsNoPassword()
    {
        await Api.RequestTokenAsync(fixture.Host.CreateClient(), Api.AdminName, "a-wrong-password-to-log");

        var logs = Directory.GetFiles(Path.Combine(fixture.DataDirectory, "logs"), "appliance-*.log");
        Assert.NotEmpty(logs);
        string text;
        await using (var stream = new FileStream(logs[0], FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
            text = await reader.ReadToEndAsync();
        Assert.Contains("First administrator", text);
        Assert.StartsWith("{\"@t\":", text);
        Assert.DoesNotContain(Api.AdminPassword, text);
        Assert.DoesNotContain("a-wrong-password-to-log", text);
    }

    [Fact]
    public async Task UnknownApiRoute_Answers404ProblemDetails()
    {
        var response = await fixture.Admin.GetAsync("/api/v1/no-such-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("/api/v1/no-such-route", (await Api.ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownApiRoute_WithoutAToken_Answers401NotARedirect()
    {
        var client = fixture.Host.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/api/v1/no-such-route");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
