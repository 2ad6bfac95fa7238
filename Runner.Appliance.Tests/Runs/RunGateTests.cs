using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Runs;

/// <summary>
/// Every path that starts ansible-playbook meets the same preflight gate: start, resume, retry, selected
/// roles, check mode. An Admin's override holds for the start it was given with, never for a later one.
/// </summary>
public sealed class RunGateTests : IAsyncLifetime
{
    private readonly EngineHost _engine = new();
    private HttpClient _operator = default!;

    public async Task InitializeAsync()
    {
        await _engine.InitializeAsync();
        await Api.CreateUserAsync(_engine.Admin, "oper", "Operator", "operator-password");
        _operator = _engine.Host.CreateClient().WithToken(await Api.TokenAsync(_engine.Host.CreateClient(), "oper", "operator-password"));
    }

    public Task DisposeAsync() => _engine.DisposeAsync();

    [Fact]
    public async Task AfterAnOverriddenStart_AndAChange_NoResumeOrRetryRunsWithoutItsOwnOverride()
    {
        var id = await _engine.StartRunAsync("testrole", "testrolefailed");
        await _engine.WhenIdleAsync();
        Assert.Equal("Failed", (await _engine.RunAsync(id)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _engine.Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "changed.local", concurrentUsers = 900, products = new[] { "EServices", "GCO" }, version = 1 })).StatusCode);

        var operatorResume = await _operator.PostAsync($"/api/v1/runs/{id}/resume", null);
        var operatorRetry = await _operator.PostAsync($"/api/v1/runs/{id}/roles/testrole/retry", null);
        var operatorOverride = await _operator.PostAsJsonAsync($"/api/v1/runs/{id}/resume", new { overrideReason = "an operator may not override the gate" });
        var adminWithoutReason = await _engine.Admin.PostAsync($"/api/v1/runs/{id}/roles/testrole/retry", null);
        var adminShortReason = await _engine.Admin.PostAsJsonAsync($"/api/v1/runs/{id}/resume", new { overrideReason = "because" });
        var stillFailed = await _engine.RunAsync(id);

        Assert.Equal(HttpStatusCode.Conflict, operatorResume.StatusCode);
        var refusal = (await Api.ProblemAsync(operatorResume)).GetProperty("detail").GetString();
        Assert.StartsWith("No preflight has run yet", refusal);
        Assert.EndsWith("An Admin can start anyway with a reason.", refusal);
        Assert.Equal(HttpStatusCode.Conflict, operatorRetry.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, operatorOverride.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, adminWithoutReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, adminShortReason.StatusCode);
        Assert.Equal(("Failed", 1), (stillFailed.GetProperty("status").GetString(), EngineHost.Attempts(stillFailed, "testrolefailed")));
        Assert.Single(stillFailed.GetProperty("starts").EnumerateArray());

        const string reason = "second look: resume accepted by the site lead";
        Assert.Equal(HttpStatusCode.Accepted, (await _engine.Admin.PostAsJsonAsync($"/api/v1/runs/{id}/resume", new { overrideReason = reason })).StatusCode);
        await _engine.WhenIdleAsync();

        var run = await _engine.RunAsync(id);
        var starts = run.GetProperty("starts").EnumerateArray().ToList();
        Assert.Equal(2, EngineHost.Attempts(run, "testrolefailed"));
        Assert.Equal(("Start", "admin", EngineHost.OverrideReason), Start(starts[0]));
        Assert.Equal(("Resume", "admin", reason), Start(starts[1]));
        Assert.Equal("testrolefailed", starts[1].GetProperty("roles").GetString());
        Assert.Contains("No preflight has run yet", starts[1].GetProperty("gate").GetString());
        var audit = await _engine.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == $"preflight gate overridden: {reason}" && a.GetProperty("item").GetString() == $"run {id}");
    }

    [Fact]
    public async Task SelectedRolesAndCheckMode_AreGatedLikeAWholeRun()
    {
        var selected = await _operator.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" } });
        var check = await _operator.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" }, check = true });
        var runs = await _engine.Admin.GetFromJsonAsync<JsonElement>("/api/v1/runs");

        Assert.Equal(HttpStatusCode.Conflict, selected.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, check.StatusCode);
        Assert.Equal(0, runs.GetArrayLength());
    }

    private static (string, string, string?) Start(JsonElement start) =>
        (start.GetProperty("kind").GetString()!, start.GetProperty("startedBy").GetString()!, start.GetProperty("gateOverride").GetString());
}
