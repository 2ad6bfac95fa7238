using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Engine;

/// <summary>The engine with the real ansible-playbook: no fake runner.</summary>
public sealed class EngineTests : IAsyncLifetime
{
    private readonly EngineHost _engine = new();

    public Task InitializeAsync() => _engine.InitializeAsync();

    public Task DisposeAsync() => _engine.DisposeAsync();

    [Fact]
    public async Task TestRole_Succeeds_WithItsEventsStored_AndTheSecretItPrintsMasked()
    {
        var id = await _engine.StartRunAsync("testrole");
        await _engine.WhenIdleAsync();

        var run = await _engine.RunAsync(id);
        var events = await _engine.EventsAsync(id);
        var texts = events.Select(e => e.GetProperty("text").GetString()!).ToList();

        Assert.Equal("Successful", run.GetProperty("status").GetString());
        Assert.Equal("Successful", EngineHost.Status(run, "testrole"));
        Assert.Contains(texts, t => t.Contains("Deploying prod under example.local (prod-argocd-apps.example.local)", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("hypervisor password is ********", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("RECAP localhost: ok=", StringComparison.Ordinal));
        Assert.Equal(events.Select(e => e.GetProperty("id").GetInt64()).Order(), events.Select(e => e.GetProperty("id").GetInt64()));
        var everything = string.Join("\n", await DatabaseTextAsync());
        Assert.DoesNotContain(EngineHost.Password, everything, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_engine.DataDirectory, "runs"), "secrets.json", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(Path.Combine(_engine.DataDirectory, "runs"), "vars.json", SearchOption.AllDirectories));
        var roleRunId = run.GetProperty("roles")[0].GetProperty("id").GetInt32();
        var vars = JsonDocument.Parse(await _engine.Admin.GetStringAsync($"/api/v1/runs/{id}/roles/{roleRunId}/vars")).RootElement;
        Assert.Equal("prod", vars.GetProperty("general").GetProperty("environment_prefix").GetString());
        Assert.Equal("vc", vars.GetProperty("hypervisors")[0].GetProperty("alias").GetString());
        var snapshot = await _engine.Admin.GetStringAsync($"/api/v1/runs/{id}/configuration");
        Assert.Contains("\"vcenter.example.local\"", snapshot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedRole_StopsTheRun_AndResumeRunsFromItOnly()
    {
        _engine.AddCheckRole("testrole-last");
        var id = await _engine.StartRunAsync("testrole", "testrolefailed", "testrole-last");
        await _engine.WhenIdleAsync();

        var failed = await _engine.RunAsync(id);
        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.Equal(["Successful", "Failed", "Pending"], new[] { "testrole", "testrolefailed", "testrole-last" }.Select(r => EngineHost.Status(failed, r)));
        Assert.Equal("Role testrolefailed failed (exit 2) on localhost, task 'testrolefailed : Fail on purpose': testrolefailed fails on purpose",
            failed.GetProperty("message").GetString());

        _engine.WriteRoleTasks("testrolefailed", "- name: Fixed\n  ansible.builtin.debug:\n    msg: fixed\n");
        var resume = await _engine.Admin.PostAsJsonAsync($"/api/v1/runs/{id}/resume", new { overrideReason = EngineHost.OverrideReason });
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        await _engine.WhenIdleAsync();

        var resumed = await _engine.RunAsync(id);
        Assert.Equal("Successful", resumed.GetProperty("status").GetString());
        Assert.Equal([1, 2, 1], new[] { "testrole", "testrolefailed", "testrole-last" }.Select(r => EngineHost.Attempts(resumed, r)));
        var resumeAgain = await _engine.Admin.PostAsJsonAsync($"/api/v1/runs/{id}/resume", new { overrideReason = EngineHost.OverrideReason });
        Assert.Equal(HttpStatusCode.Conflict, resumeAgain.StatusCode);
        Assert.Contains("there is nothing to resume", (await Api.ProblemAsync(resumeAgain)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RetryingOneRole_RunsThatRoleOnly()
    {
        _engine.AddCheckRole("testrole-last");
        var id = await _engine.StartRunAsync("testrole", "testrole-last");
        await _engine.WhenIdleAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await _engine.Admin.PostAsJsonAsync($"/api/v1/runs/{id}/roles/testrole/retry", new { overrideReason = EngineHost.OverrideReason })).StatusCode);
        await _engine.WhenIdleAsync();

        var run = await _engine.RunAsync(id);
        Assert.Equal("Successful", run.GetProperty("status").GetString());
        Assert.Equal([2, 1], new[] { "testrole", "testrole-last" }.Select(r => EngineHost.Attempts(run, r)));
    }

    [Fact]
    public async Task Cancel_DuringALongTask_StopsTheRun_AndLeavesNoProcess()
    {
        // A duration no other process on the host sleeps for, so that "left running" looks for this run's sleep only.
        var sleep = $"sleep {Random.Shared.Next(100_000, 999_999)}";
        await File.WriteAllTextAsync(Path.Combine(_engine.Ansible.Path, "roles", "testrole", "defaults", "main.yml"), $"testrole_sleep_s: {sleep[6..]}\n");
        _engine.AddCheckRole("testrole-last");
        var id = await _engine.StartRunAsync("testrole", "testrole-last");
        await _engine.WaitForEventAsync(id, "started: [localhost] testrole : Long task");

        var second = await _engine.Admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" }, overrideReason = EngineHost.OverrideReason });
        var clock = Stopwatch.StartNew();
        var cancel = await _engine.Admin.PostAsync($"/api/v1/runs/{id}/cancel", null);
        await _engine.WhenIdleAsync();
        clock.Stop();

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains($"Run {id} is in progress; only one run at a time", (await Api.ProblemAsync(second)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var run = await _engine.RunAsync(id);
        Assert.Equal("Cancelled", run.GetProperty("status").GetString());
        Assert.Equal(["Cancelled", "Cancelled"], new[] { "testrole", "testrole-last" }.Select(r => EngineHost.Status(run, r)));
        // ansible-playbook's own code for SIGINT, through the guard it runs under.
        Assert.Equal("Role testrole was cancelled (exit 99).", run.GetProperty("roles")[0].GetProperty("message").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"cancel took {clock.Elapsed}");
        // The group was sent SIGKILL when the role ended; the kernel takes a moment to take its processes away.
        Assert.True(await Processes.WaitUntilAsync(() => Processes.Mentioning(_engine.DataDirectory).Count == 0 && Processes.Mentioning(sleep).Count == 0,
            TimeSpan.FromSeconds(5)), "left running: " + string.Join(" | ", Processes.Mentioning(sleep).Concat(Processes.Mentioning(_engine.DataDirectory))));
    }

    [Fact]
    public async Task ThePlanOfAllRoles_IsRefused_WhileRolesAreNotImplemented()
    {
        var response = await _engine.Admin.PostAsJsonAsync("/api/v1/runs", new { });
        var problem = await Api.ProblemAsync(response);
        var unknown = await _engine.Admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "install-everything" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("The plan contains 28 roles that are not implemented yet: provisionnement-vms-infra,", problem.GetProperty("errors").GetProperty("roles")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("Unknown role install-everything", (await Api.ProblemAsync(unknown)).GetProperty("errors").GetProperty("roles")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await _engine.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/runs") ?? []);
    }

    [Fact]
    public async Task TheEventStream_SendsTheWholeLogSoFar_ThenLive_UntilTheRunEnds()
    {
        await File.WriteAllTextAsync(Path.Combine(_engine.Ansible.Path, "roles", "testrole", "defaults", "main.yml"), "testrole_sleep_s: 2\n");
        var id = await _engine.StartRunAsync("testrole");
        await _engine.WaitForEventAsync(id, "started: [localhost] testrole : Long task");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/runs/{id}/events/stream");
        using var response = await _engine.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        await _engine.WhenIdleAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var streamed = body.Split('\n').Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var stored = (await _engine.EventsAsync(id)).Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(stored, streamed);
        Assert.Contains("RECAP localhost", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsOfOldRuns_AreRemovedByTheRetentionSetting_TheirResultsStay()
    {
        var id = await _engine.StartRunAsync("testrole");
        await _engine.WhenIdleAsync();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_engine.Host.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE DeploymentRuns SET FinishedAt = '2020-01-01 00:00:00+00:00' WHERE Id = {id}";
            await command.ExecuteNonQueryAsync();
        }

        var purged = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Runner.Appliance.Engine.RunRecovery>(_engine.Host.Services).PurgeAsync();

        Assert.Equal(1, purged);
        Assert.Empty(await _engine.EventsAsync(id));
        var run = await _engine.RunAsync(id);
        Assert.Equal("Successful", run.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, run.GetProperty("eventsPurgedAt").ValueKind);
    }

    [Fact]
    public async Task WithoutAnsibleInstalled_ARunIsRefusedSayingWhatToInstall()
    {
        using var data = new TempDirectory();
        using var host = new ApplianceHost(data.Path, settings: new Dictionary<string, string?> { ["Appliance:Engine:PlaybookCommand"] = "ansible-playbook-missing" });
        var admin = await host.AdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { "testrole" } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("'ansible-playbook-missing' is not installed on this appliance", (await Api.ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<List<string>> DatabaseTextAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_engine.Host.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Text || Json FROM RunEvents UNION ALL SELECT coalesce(VarsJson, '') || coalesce(Message, '') FROM RoleRuns UNION ALL SELECT ConfigurationSnapshot FROM DeploymentRuns";
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            texts.Add(reader.GetString(0));
        return texts;
    }
}
