using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Services;

/// <summary>No secret of the services step is dropped unseen: it is kept with a meaning, or the save is refused with the reason.</summary>
public sealed class ServiceSecretsApiTests : AdminAppliance
{
    private const string Token = "mon-Token-Marker-2b8f";

    [Fact]
    public async Task AMonitoringPasswordWithoutAUserName_IsKeptAsItsToken()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/monitoring", new { tool = "Prometheus", alias = "prom", endpoint = "http://127.0.0.1:9090", password = new { newValue = Token } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var stored = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/monitoring/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal((JsonValueKind.Null, true), (stored.GetProperty("username").ValueKind, stored.GetProperty("passwordSet").GetBoolean()));
        Assert.DoesNotContain(Token, await Admin.GetStringAsync($"/api/v1/monitoring/{id}"), StringComparison.Ordinal);

        var renamed = await Admin.PutAsJsonAsync($"/api/v1/monitoring/{id}", new { tool = "Prometheus", alias = "prometheus", endpoint = "http://127.0.0.1:9090", version = stored.GetProperty("version").GetInt32() });

        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        Assert.True((await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/monitoring/{id}")).GetProperty("passwordSet").GetBoolean());
    }

    [Fact]
    public async Task EmptyingAnSmtpUserName_WhileItsPasswordIsStored_IsRefused_UnlessThePasswordIsClearedToo()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/smtp", new { alias = "relay", host = "127.0.0.1", username = "mailer", password = new { newValue = "smtp-pass" }, fromAddress = "runner@example.local" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var dropped = await Admin.PutAsJsonAsync($"/api/v1/smtp/{id}", new { alias = "relay", host = "127.0.0.1", username = "", fromAddress = "runner@example.local", version = 1 });
        var cleared = await Admin.PutAsJsonAsync($"/api/v1/smtp/{id}", new { alias = "relay", host = "127.0.0.1", username = "", password = new { clear = true }, fromAddress = "runner@example.local", version = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, dropped.StatusCode);
        Assert.StartsWith("User name is required while a password is stored",
            (await Api.ProblemAsync(dropped)).GetProperty("errors").GetProperty("username")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/smtp/{id}")).GetProperty("passwordSet").GetBoolean());
    }
}
