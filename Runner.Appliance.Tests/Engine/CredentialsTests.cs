using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Data;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Engine;

/// <summary>
/// What roles need from the engine, through real ansible-playbook runs: a secret the catalog declares is
/// generated once and kept, a role's set_stats outputs reach the roles after it, both are masked in every
/// event and absent from every file of the data directory, and an Admin sees a value only with their password.
/// </summary>
public sealed class CredentialsTests : IAsyncLifetime
{
    private const string Publish = "testrolepublish";
    private const string Consume = "testroleconsume";
    private readonly EngineHost _engine = new();

    public async Task InitializeAsync()
    {
        await _engine.InitializeAsync();
        _engine.AddRole(Publish, Repository.PathOf("Runner.Appliance.Tests", "Engine", "Roles", Publish), entry: """
                    secrets:
                      - name: test_password
                        description: A password the appliance generates for the check role
                    outputs:
                      - name: root_token
                        description: The token the role made
                      - name: api_url
                        description: Where it listens
                        secret: false

            """);
        // Before the first run or plan: the catalog is read then, once.
        _engine.AddRole(Consume, Repository.PathOf("Runner.Appliance.Tests", "Engine", "Roles", Consume));
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task AGeneratedSecretAndAPublishedToken_ReachTheRolesAfter_MaskedEverywhere_AndKeptAcrossRuns()
    {
        var first = await _engine.StartRunAsync(Publish, Consume);
        await _engine.WhenIdleAsync();
        var run = await _engine.RunAsync(first);
        Assert.True(run.GetProperty("status").GetString() == "Successful", run.ToString());

        var token = await RevealAsync("output", Publish, "root_token");
        var password = await RevealAsync("generated", Publish, "test_password");
        Assert.Matches("^[A-Za-z0-9]{40}$", token);
        Assert.Matches("^[A-Za-z0-9]{32}$", password);

        var events = await _engine.EventsAsync(first);
        var texts = events.Select(e => e.GetProperty("text").GetString()!).ToList();
        Assert.Contains("ok: [localhost] testrolepublish : Print the generated secret (the engine masks it) => generated ******** of 32 characters", texts);
        // Masked in the role after the one that made it: the engine learned the value from the stats event.
        Assert.True(texts.Contains("ok: [localhost] testroleconsume : Print the token it received (the engine masks it, although this role did not make it) => token ********"), string.Join("\n", texts));
        // The stats event as stored: the outputs by name only.
        await using (var db = await _engine.Host.Services.GetRequiredService<IDbContextFactory<ApplianceDb>>().CreateDbContextAsync())
        {
            var stats = await db.RunEvents.AsNoTracking().Where(e => e.RunId == first && e.Type == "playbook_on_stats").Select(e => e.Json).ToListAsync();
            using var stored = JsonDocument.Parse(stats.Single(j => j.Contains("root_token", StringComparison.Ordinal)));
            Assert.Equal(["api_url", "root_token"], stored.RootElement.GetProperty("outputs").EnumerateArray().Select(k => k.GetString()!).Order());
            Assert.Equal(["runner_outputs"], stored.RootElement.GetProperty("global_custom_stats").EnumerateArray().Select(k => k.GetString()!));
        }
        Assert.DoesNotContain(events, e => e.GetRawText().Contains(token, StringComparison.Ordinal) || e.GetRawText().Contains(password, StringComparison.Ordinal));

        // The list names them; only a declared non-secret output shows its value.
        var list = await _engine.Admin.GetFromJsonAsync<JsonElement>("/api/v1/credentials");
        Assert.DoesNotContain(token, list.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, list.GetRawText(), StringComparison.Ordinal);
        var generated = list.GetProperty("generated").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "test_password");
        Assert.True(generated.GetProperty("generated").GetBoolean());
        var outputs = list.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("key").GetString()!);
        Assert.True(outputs["root_token"].GetProperty("secret").GetBoolean());
        Assert.Equal(JsonValueKind.Null, outputs["root_token"].GetProperty("value").ValueKind);
        Assert.Equal("\"https://vault.example.local:8200\"", outputs["api_url"].GetProperty("value").GetString());

        // A second run: the same generated secret (never regenerated), a new token from the role replaces the old.
        var second = await _engine.StartRunAsync(Publish, Consume);
        await _engine.WhenIdleAsync();
        Assert.Equal("Successful", (await _engine.RunAsync(second)).GetProperty("status").GetString());
        Assert.Equal(password, await RevealAsync("generated", Publish, "test_password"));
        var secondToken = await RevealAsync("output", Publish, "root_token");
        Assert.NotEqual(token, secondToken);

        // No file of the data directory holds either (the database keeps ciphertexts), in any encoding.
        Assert.Empty(SecretScan.FilesContaining(_engine.DataDirectory, [token, secondToken, password]));
        Assert.Empty(SecretScan.FilesContaining(_engine.Secrets.Path, [token, secondToken, password])); // role-run secrets went with their role
    }

    [Fact]
    public async Task AValue_NeedsTheAdminsOwnPassword_EachRevealIsAudited_AndTheHandoverHoldsThemAll()
    {
        var run = await _engine.StartRunAsync(Publish);
        await _engine.WhenIdleAsync();
        Assert.Equal("Successful", (await _engine.RunAsync(run)).GetProperty("status").GetString());

        var wrong = await _engine.Admin.PostAsJsonAsync("/api/v1/credentials/reveal", new { kind = "output", role = Publish, name = "root_token", password = "not-my-password" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("That is not your password", (await Api.ProblemAsync(wrong)).GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
        var missing = await _engine.Admin.PostAsJsonAsync("/api/v1/credentials/reveal", new { kind = "output", role = Publish, name = "no_such_output", password = Api.AdminPassword });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var token = await RevealAsync("output", Publish, "root_token");
        var handover = await _engine.Admin.PostAsJsonAsync("/api/v1/credentials/handover", new { password = Api.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, handover.StatusCode);
        Assert.StartsWith("attachment; filename=runner-handover-", handover.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var text = await handover.Content.ReadAsStringAsync();
        Assert.Contains($"### root_token", text, StringComparison.Ordinal);
        Assert.Contains(token, text, StringComparison.Ordinal);
        Assert.Contains(await RevealAsync("generated", Publish, "test_password"), text, StringComparison.Ordinal);

        var audit = (await _engine.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).GetRawText();
        Assert.Contains($"output {Publish}.root_token", audit, StringComparison.Ordinal);
        Assert.Contains("operator hand-over", audit, StringComparison.Ordinal);
        Assert.Contains("refused", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(token, audit, StringComparison.Ordinal);

        // An Operator sees nothing of it.
        await Api.CreateUserAsync(_engine.Admin, "oper", "Operator", "operator-password");
        var operatorClient = _engine.Host.CreateClient().WithToken(await Api.TokenAsync(_engine.Host.CreateClient(), "oper", "operator-password"));
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync("/api/v1/credentials")).StatusCode);
    }

    private async Task<string> RevealAsync(string kind, string role, string name)
    {
        var response = await _engine.Admin.PostAsJsonAsync("/api/v1/credentials/reveal", new { kind, role, name, password = Api.AdminPassword });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var value = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetString()!;
        // An output is stored as JSON: a string output comes back quoted.
        return kind == "output" ? JsonSerializer.Deserialize<string>(value)! : value;
    }
}
