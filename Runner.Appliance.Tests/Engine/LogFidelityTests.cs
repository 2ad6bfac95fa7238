using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Engine;

/// <summary>
/// The log tells the truth about every task: a role with loops, ignored failures in a loop, a rescued
/// block, an include, no_log, a handler, async, a skip, a delegation, unicode and 2,000 lines of output,
/// set_stats — run by the engine, its counters compared with ansible.posix.json on the same role.
/// </summary>
public sealed class LogFidelityTests : IAsyncLifetime
{
    private const string Role = "testrolefidelity";
    private readonly EngineHost _engine = new();

    public async Task InitializeAsync()
    {
        await _engine.InitializeAsync();
        _engine.AddRole(Role, Repository.PathOf("Runner.Appliance.Tests", "Engine", "Roles", Role));
    }

    public Task DisposeAsync() => _engine.DisposeAsync();

    [Fact]
    public async Task EveryCounter_EqualsAnsiblePosixJson_AndIgnoredOrRescuedFailuresAreNotFailures()
    {
        var id = await _engine.StartRunAsync(Role);
        await _engine.WhenIdleAsync();
        var run = await _engine.RunAsync(id);
        var events = await _engine.EventsAsync(id);
        var stats = events.Single(e => e.GetProperty("type").GetString() == "playbook_on_stats");
        var recap = JsonDocument.Parse(await RawAsync(id, stats.GetProperty("id").GetInt64())).RootElement;
        var peer = await PosixJsonAsync();

        Assert.Equal("Successful", run.GetProperty("status").GetString());
        var ours = recap.GetProperty("stats").GetProperty("localhost");
        var theirs = peer.GetProperty("stats").GetProperty("localhost");
        foreach (var counter in new[] { "ok", "changed", "failures", "skipped", "rescued", "ignored", "unreachable" })
            Assert.True(theirs.GetProperty(counter).GetInt32() == ours.GetProperty(counter).GetInt32(),
                $"{counter}: engine {ours.GetProperty(counter)}, ansible.posix.json {theirs.GetProperty(counter)}");
        Assert.Equal((1, 1), (ours.GetProperty("rescued").GetInt32(), ours.GetProperty("ignored").GetInt32()));
        // set_stats data is stored by its keys only (its values may be secrets the masker cannot know yet: ADR 0018).
        Assert.Equal(peer.GetProperty("global_custom_stats").EnumerateObject().Select(p => p.Name).Order(),
            recap.GetProperty("global_custom_stats").EnumerateArray().Select(k => k.GetString()!).Order());

        string Status(JsonElement e) => e.GetProperty("status").GetString() ?? "";
        string Text(JsonElement e) => e.GetProperty("text").GetString()!;
        Assert.DoesNotContain(events, e => Status(e) == "failed");
        Assert.Equal(3, events.Count(e => Status(e) == "ignored")); // two items and the loop task
        Assert.Contains(events, e => Status(e) == "ignored" && Text(e) == "FAILED ...ignoring: [localhost] testrolefidelity : Loop with failing items, ignored (item=bad1) => non-zero return code");
        Assert.Single(events, e => Status(e) == "rescued");
        Assert.Contains(events, e => Text(e) == "FAILED, rescued: [localhost] testrolefidelity : Fail inside the block => failing on purpose inside the block");
        Assert.Contains(events, e => Text(e) == "RUNNING HANDLER [testrolefidelity : Say the handler ran]");
        Assert.Contains(events, e => Text(e).StartsWith("ok: [localhost] testrolefidelity : Say the handler ran (handler)", StringComparison.Ordinal));
        Assert.Contains(events, e => Text(e) == "included: more.yml for localhost");
        Assert.Contains(events, e => Text(e).StartsWith("ok: [localhost -> localhost] testrolefidelity : A task delegated to localhost", StringComparison.Ordinal));
        Assert.Contains(events, e => Text(e).StartsWith("ASYNC OK: [localhost] testrolefidelity : An async task", StringComparison.Ordinal));
        Assert.Contains(events, e => Text(e).StartsWith("skipped: [localhost] testrolefidelity : A skipped task", StringComparison.Ordinal));
        Assert.Contains(events, e => Text(e) == "RECAP localhost: " +
            $"ok={ours.GetProperty("ok")} changed={ours.GetProperty("changed")} unreachable=0 failed=0 skipped={ours.GetProperty("skipped")} rescued=1 ignored=1");
        var secret = events.Single(e => Text(e).Contains("A secret, never logged", StringComparison.Ordinal) && Status(e) == "ok");
        Assert.DoesNotContain("hunter2", await RawAsync(id, secret.GetProperty("id").GetInt64()));
        var output = events.Single(e => Text(e).Contains("Unicode and 2,000 lines", StringComparison.Ordinal) && Status(e) == "ok");
        var stdout = JsonDocument.Parse(await RawAsync(id, output.GetProperty("id").GetInt64())).RootElement.GetProperty("stdout").GetString()!;
        Assert.StartsWith("héllo wörld ✓ 日本\n1\n2\n", stdout);
        Assert.EndsWith("\n2000", stdout);
    }

    [Fact]
    public async Task ACheckModeRun_ShowsTheDiffOfWhatWouldChange()
    {
        var response = await _engine.Admin.PostAsJsonAsync("/api/v1/runs", new { roles = new[] { Role }, check = true, overrideReason = EngineHost.OverrideReason });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await _engine.WhenIdleAsync();

        var diff = (await _engine.EventsAsync(id)).Single(e => e.GetProperty("type").GetString() == "on_file_diff");
        var record = JsonDocument.Parse(await RawAsync(id, diff.GetProperty("id").GetInt64())).RootElement;

        Assert.Equal("DIFF: [localhost] testrolefidelity : Write a file (a diff in check mode) => what changed is in the full output", diff.GetProperty("text").GetString());
        Assert.Contains("+fidelity: one", record.GetProperty("diff").GetString());
        Assert.True(record.GetProperty("check_mode").GetBoolean());
    }

    private async Task<string> RawAsync(int runId, long eventId) =>
        (await _engine.Host.Services.CreateScope().ServiceProvider.GetRequiredService<Runner.Appliance.Features.Runs.RunQueries>().RawEventAsync(eventId)) ?? throw new InvalidOperationException($"no event {eventId} in run {runId}");

    /// <summary>The same role through plain ansible-playbook with the ansible.posix.json callback.</summary>
    private async Task<JsonElement> PosixJsonAsync()
    {
        using var directory = new TempDirectory();
        var inventory = Path.Combine(directory.Path, "inventory");
        await File.WriteAllTextAsync(inventory, "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        var start = new ProcessStartInfo("ansible-playbook") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory.Path };
        foreach (var argument in new[] { "-i", inventory, Path.Combine(_engine.Ansible.Path, "playbooks", "run_role.yml"), "-e", $"role_name={Role}", "-e", "target_hosts=localhost" })
            start.ArgumentList.Add(argument);
        start.Environment["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json";
        start.Environment["ANSIBLE_SHOW_CUSTOM_STATS"] = "True";
        start.Environment["ANSIBLE_ROLES_PATH"] = Path.Combine(_engine.Ansible.Path, "roles");
        start.Environment["ANSIBLE_LOCAL_TEMP"] = Path.Combine(directory.Path, "tmp");
        start.Environment["ANSIBLE_HOME"] = Path.Combine(directory.Path, "home");
        start.Environment["FIDELITY_FILE"] = Path.Combine(directory.Path, "fidelity.txt");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ansible-playbook exited {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}
