using Microsoft.EntityFrameworkCore;

namespace Runner.Appliance.Engine;

/// <summary>One pass over a run's pending roles.</summary>
internal sealed class RunExecution(DeploymentEngine engine, int runId, HashSet<int>? only, CancellationToken cancel)
{
    public async Task RunAsync()
    {
        // One set of inputs for the whole pass: every role of it sees the same configuration, recorded with the run.
        RunInputs inputs;
        await using (var scope = engine.Scopes.CreateAsyncScope())
            inputs = await scope.ServiceProvider.GetRequiredService<RunInputsBuilder>().BuildAsync();
        List<RoleRun> pending;
        bool check;
        await using (var context = await engine.Db.CreateDbContextAsync())
        {
            var run = await context.DeploymentRuns.Include(r => r.Roles).SingleAsync(r => r.Id == runId);
            (run.Status, run.ConfigurationSnapshot) = (RunStatus.Running, inputs.Snapshot);
            await context.SaveChangesAsync();
            check = run.Check;
            pending = [.. run.Roles.Where(r => r.Status == RoleStatus.Pending && (only is null || only.Contains(r.Id))).OrderBy(r => r.Order)];
        }
        engine.Notifier.Changed(runId);
        foreach (var role in pending)
        {
            if (cancel.IsCancellationRequested)
                break;
            var (status, message) = await RunRoleAsync(role, check, inputs);
            if (status != RoleStatus.Successful)
            {
                // Failed: the roles after it stay pending, for a resume. Cancelled: they are cancelled too.
                if (status == RoleStatus.Cancelled)
                    await CancelRemainingAsync(pending.SkipWhile(r => r != role).Skip(1));
                await engine.FinishAsync(runId, status == RoleStatus.Cancelled ? RunStatus.Cancelled : RunStatus.Failed, message);
                return;
            }
        }
        if (cancel.IsCancellationRequested)
        {
            await CancelRemainingAsync(pending);
            await engine.FinishAsync(runId, RunStatus.Cancelled, "Cancelled before the next role started.");
            return;
        }
        await engine.FinishAsync(runId, RunStatus.Successful, null);
    }

    private async Task<(RoleStatus, string?)> RunRoleAsync(RoleRun role, bool check, RunInputs inputs)
    {
        var definition = engine.Catalog.Catalog.Role(role.Role)!;
        var attempt = await UpdateAsync(role.Id, r =>
        {
            (r.Status, r.StartedAt, r.FinishedAt, r.ExitCode, r.Message) = (RoleStatus.Running, engine.Clock.GetUtcNow(), null, null, null);
            r.Attempts++;
            r.VarsJson = inputs.RecordedVars;
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var workspace = Workspace.Create(engine.Data.RunsPath, engine.Secrets, runId, role.Order, role.Role, attempt, inputs.Inventory, inputs.Vars, inputs.Secrets);
        var outcome = new RoleOutcome();
        int exitCode;
        TimeSpan prepared = default;
        try
        {
            var connection = await ConnectionAsync(inputs, workspace);
            prepared = clock.Elapsed;
            exitCode = await AnsibleProcess.RunAsync(Invocation(definition, workspace, check, connection), async (line, isStderr) =>
                {
                    var e = EventParser.Parse(line, isStderr, inputs.Masker, outcome, engine.Clock.GetUtcNow());
                    (e.RunId, e.RoleRunId, e.Attempt) = (runId, role.Id, attempt);
                    await engine.Writer.WriteAsync(e);
                },
                group => _ = UpdateAsync(role.Id, r => r.ProcessGroup = group),
                engine.Options.CancelGracePeriod, cancel);
        }
        finally
        {
            workspace.DeleteSecrets();
        }
        var ran = clock.Elapsed;
        await engine.Writer.FlushAsync();
        var (status, message) = Interpret(role.Role, exitCode, outcome);
        await UpdateAsync(role.Id, r => (r.Status, r.FinishedAt, r.ExitCode, r.Message, r.ProcessGroup) = (status, engine.Clock.GetUtcNow(), exitCode, message, null));
        engine.Log.LogInformation("Run {RunId} role {Role} ended {Status} (exit {ExitCode}) in {Total:0} ms: workspace {Prepared:0} ms, ansible-playbook {Process:0} ms, events and status {After:0} ms",
            runId, role.Role, status, exitCode, clock.Elapsed.TotalMilliseconds, prepared.TotalMilliseconds, (ran - prepared).TotalMilliseconds, (clock.Elapsed - ran).TotalMilliseconds);
        return (status, message);
    }

    private (RoleStatus, string?) Interpret(string role, int exitCode, RoleOutcome outcome)
    {
        if (exitCode == 0)
            return (RoleStatus.Successful, null);
        if (cancel.IsCancellationRequested)
            return (RoleStatus.Cancelled, $"Role {role} was cancelled (exit {exitCode}).");
        var message = exitCode switch
        {
            4 when outcome.UnreachableHosts.Count > 0 => $"Role {role} failed: host{(outcome.UnreachableHosts.Count > 1 ? "s" : "")} {string.Join(", ", outcome.UnreachableHosts)} unreachable (exit 4).",
            2 or 4 => $"Role {role} failed (exit {exitCode}){(outcome.FailedHosts.Count > 0 ? $" on {string.Join(", ", outcome.FailedHosts)}" : "")}, {outcome.LastError ?? "see its log"}",
            _ => $"Role {role} failed (exit {exitCode}): {outcome.LastError ?? "see its log"}",
        };
        return (RoleStatus.Failed, message);
    }

    /// <summary>How Ansible logs in to the VMs: the deployment user and its key, from the security step.</summary>
    private static async Task<List<string>> ConnectionAsync(RunInputs inputs, Workspace workspace)
    {
        var arguments = new List<string>();
        if (inputs.Vars["security"]?["deployment_user"]?.GetValue<string>() is { Length: > 0 } user)
            arguments.AddRange(["-e", $"ansible_user={user}"]);
        if (inputs.Secrets["security"]?["ssh_private_key"]?.GetValue<string>() is { Length: > 0 } key)
            arguments.AddRange(["-e", $"ansible_ssh_private_key_file={await workspace.WriteSshKeyAsync(key, inputs.Secrets["security"]?["ssh_passphrase"]?.GetValue<string>())}"]);
        return arguments;
    }

    private AnsibleInvocation Invocation(CatalogRole role, Workspace workspace, bool check, List<string> connection)
    {
        var ansible = engine.Catalog.AnsibleDirectory;
        List<string> arguments =
        [
            "-i", workspace.InventoryPath, Path.Combine(ansible, "playbooks", "run_role.yml"),
            "-e", $"role_name={role.Name}", "-e", $"target_hosts={role.HostPattern}",
            "-e", $"@{workspace.VarsPath}", "-e", $"@{workspace.SecretsPath}",
        ];
        arguments.AddRange(connection);
        if (check)
            arguments.AddRange(["--check", "--diff"]);
        var environment = new Dictionary<string, string>
        {
            ["ANSIBLE_STDOUT_CALLBACK"] = "jsonevents",
            ["ANSIBLE_CALLBACK_PLUGINS"] = Path.Combine(ansible, "callback_plugins"),
            ["ANSIBLE_ROLES_PATH"] = Path.Combine(ansible, "roles"),
            ["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "True",
            ["ANSIBLE_LOCAL_TEMP"] = workspace.TempPath,
            ["RUNNER_LOCALHOST_TMP"] = workspace.LocalhostTempPath,
            ["ANSIBLE_HOME"] = workspace.HomePath,
            ["ANSIBLE_SSH_CONTROL_PATH_DIR"] = workspace.ControlPath,
            ["ANSIBLE_PIPELINING"] = "True",
            ["ANSIBLE_HOST_KEY_CHECKING"] = "False",
            ["ANSIBLE_SSH_ARGS"] = $"-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile={workspace.KnownHostsPath}",
            ["ANSIBLE_TIMEOUT"] = "10",
            ["ANSIBLE_PYTHON_INTERPRETER"] = "auto_silent",
            ["ANSIBLE_RETRY_FILES_ENABLED"] = "False",
            ["ANSIBLE_NOCOLOR"] = "True",
            ["ANSIBLE_LOCALHOST_WARNING"] = "False",
            ["ANSIBLE_FORCE_COLOR"] = "False",
        };
        return new AnsibleInvocation(engine.Options.PlaybookCommand, arguments, environment, workspace.Root, [engine.Options.GuardPython, engine.Catalog.GuardPath]);
    }

    private async Task CancelRemainingAsync(IEnumerable<RoleRun> roles)
    {
        var ids = roles.Select(r => r.Id).ToList();
        await using var context = await engine.Db.CreateDbContextAsync();
        foreach (var role in await context.RoleRuns.Where(r => ids.Contains(r.Id) && r.Status == RoleStatus.Pending).ToListAsync())
            (role.Status, role.Message) = (RoleStatus.Cancelled, "not started: the run was cancelled");
        await context.SaveChangesAsync();
    }

    private async Task<int> UpdateAsync(int roleRunId, Action<RoleRun> change)
    {
        await using var context = await engine.Db.CreateDbContextAsync();
        var role = await context.RoleRuns.SingleAsync(r => r.Id == roleRunId);
        change(role);
        await context.SaveChangesAsync();
        engine.Notifier.Changed(runId);
        return role.Attempts;
    }
}
