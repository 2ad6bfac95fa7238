using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Operations;
using Runner.Appliance.Hosting;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Engine;

/// <summary>Body of <c>POST /api/v1/runs</c>: selected roles (else the whole plan) and check mode.</summary>
public sealed record StartRunRequest(IReadOnlyList<string>? Roles = null, bool Check = false);

/// <summary>
/// Runs plans, one at a time, role by role through <see cref="AnsibleProcess"/>; stops on failure;
/// resumes, retries a role, cancels; marks runs that a dead appliance left as interrupted.
/// Status changes are stored before anything else happens, so a crash leaves a resumable run.
/// </summary>
public sealed class DeploymentEngine(IDbContextFactory<ApplianceDb> dbFactory, CatalogFile catalog, IServiceScopeFactory scopes,
    EventWriter writer, RunNotifier notifier, DataDirectory data, AuditLog audit, ApplianceMetrics metrics,
    IOptions<EngineOptions> options, TimeProvider clock, ILogger<DeploymentEngine> logger)
{
    private readonly Lock _gate = new();

    // What one pass over a run (RunExecution) uses.
    private IDbContextFactory<ApplianceDb> Db => dbFactory;
    private CatalogFile Catalog => catalog;
    private IServiceScopeFactory Scopes => scopes;
    private EventWriter Writer => writer;
    private RunNotifier Notifier => notifier;
    private DataDirectory Data => data;
    private EngineOptions Options => options.Value;
    private TimeProvider Clock => clock;
    private ILogger Log => logger;
    private (int RunId, CancellationTokenSource Cancel, Task Execution)? _active;

    /// <summary>The run in progress, if any.</summary>
    public int? ActiveRunId { get { lock (_gate) return _active?.RunId; } }

    public async Task<(Outcome Outcome, int RunId)> StartAsync(StartRunRequest request, string actor, CancellationToken ct = default)
    {
        if (MissingAnsible() is { } noAnsible)
            return (noAnsible, 0);
        var products = await ProductsAsync(ct);
        var roles = SelectRoles(request.Roles, products, out var problem);
        if (problem is not null)
            return (Outcome.Invalid("roles", problem), 0);
        lock (_gate)
            if (_active is { } busy)
                return (Outcome.Conflict($"Run {busy.RunId} is in progress; only one run at a time. Wait for it or cancel it."), 0);

        await using var scope = scopes.CreateAsyncScope();
        var snapshot = (await scope.ServiceProvider.GetRequiredService<RunInputsBuilder>().BuildAsync(ct)).Snapshot;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = new DeploymentRun
        {
            Status = RunStatus.Queued, Check = request.Check, StartedBy = actor, CreatedAt = clock.GetUtcNow(), ConfigurationSnapshot = snapshot,
            Roles = [.. roles.Select((r, i) => new RoleRun { Order = i + 1, Role = r.Name, Status = RoleStatus.Pending })],
        };
        db.DeploymentRuns.Add(run);
        audit.Append(db, actor, "deployment", $"run of {roles.Count} roles", request.Check ? "started (check mode)" : "started", [.. roles.Select(r => r.Name)]);
        await db.SaveChangesAsync(ct);
        return Launch(run.Id) ? (Outcome.Ok, run.Id) : (Outcome.Conflict("Another run started at the same moment; only one run at a time."), run.Id);
    }

    /// <summary>Runs again every role of the run that did not succeed, from the first of them.</summary>
    public async Task<Outcome> ResumeAsync(int runId, string actor, CancellationToken ct = default) =>
        await RestartAsync(runId, actor, "resumed", run => run.Roles.Where(r => r.Status != RoleStatus.Successful), ct);

    /// <summary>Runs one role of the run again (whatever its status), and only that role.</summary>
    public async Task<Outcome> RetryAsync(int runId, string role, string actor, CancellationToken ct = default) =>
        await RestartAsync(runId, actor, $"retried {role}", run => run.Roles.Where(r => r.Role == role), ct, onlyThese: true);

    public async Task<Outcome> CancelAsync(int runId, string actor, CancellationToken ct = default)
    {
        CancellationTokenSource? cancel;
        lock (_gate)
            cancel = _active is { } active && active.RunId == runId ? active.Cancel : null;
        if (cancel is null)
            return await ExistsAsync(runId, ct) ? Outcome.Conflict($"Run {runId} is not running.") : Outcome.NotFound($"There is no run {runId}.");
        await audit.RecordAsync(actor, "deployment", $"run {runId}", "cancel requested", [], ct);
        await cancel.CancelAsync();
        return Outcome.Ok;
    }

    /// <summary>Waits for the active run to end (tests, shutdown).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
            return _active?.Execution ?? Task.CompletedTask;
    }

    /// <summary>At start-up: a run the previous process left running is interrupted, its running role failed, its ansible stopped.</summary>
    public async Task RecoverAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = await db.DeploymentRuns.Include(r => r.Roles).Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.Queued).ToListAsync(ct);
        foreach (var run in runs)
        {
            foreach (var role in run.Roles.Where(r => r.Status == RoleStatus.Running))
            {
                if (role.ProcessGroup is { } group && AnsibleProcess.KillOrphan(group))
                    logger.LogWarning("Stopped ansible-playbook (process group {Group}) left by the previous appliance process", group);
                (role.Status, role.FinishedAt, role.Message) = (RoleStatus.Failed, clock.GetUtcNow(), "interrupted: the appliance stopped during this role");
            }
            (run.Status, run.FinishedAt, run.Message) = (RunStatus.Interrupted, clock.GetUtcNow(), "The appliance stopped during this run; resume it to continue from the interrupted role.");
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Deletes the events of runs that ended before the retention period; returns how many runs were purged.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow() - options.Value.EventRetention;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = (await db.DeploymentRuns.Where(r => r.EventsPurgedAt == null && r.FinishedAt != null).ToListAsync(ct))
            .Where(r => r.FinishedAt < cutoff).ToList();
        foreach (var run in runs)
        {
            await db.RunEvents.Where(e => e.RunId == run.Id).ExecuteDeleteAsync(ct);
            run.EventsPurgedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct);
        return runs.Count;
    }

    private async Task<Outcome> RestartAsync(int runId, string actor, string action, Func<DeploymentRun, IEnumerable<RoleRun>> select, CancellationToken ct, bool onlyThese = false)
    {
        if (MissingAnsible() is { } noAnsible)
            return noAnsible;
        lock (_gate)
            if (_active is { } busy)
                return Outcome.Conflict($"Run {busy.RunId} is in progress; only one run at a time.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.DeploymentRuns.Include(r => r.Roles).SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
            return Outcome.NotFound($"There is no run {runId}.");
        if (run.IsActive)
            return Outcome.Conflict($"Run {runId} is {run.Status.ToString().ToLowerInvariant()}; it can be resumed or retried once it has ended.");
        var roles = select(run).ToList();
        if (roles.Count == 0)
            return onlyThese ? Outcome.Invalid("role", $"Run {runId} has no role by that name; its roles are {string.Join(", ", run.Roles.Select(r => r.Role))}.")
                             : Outcome.Conflict($"Every role of run {runId} succeeded; there is nothing to resume.");
        if (roles.Select(r => catalog.Catalog.Role(r.Role)).FirstOrDefault(r => r is null || !r.Implemented) is { } missing)
            return Outcome.Invalid("roles", $"Role {missing.Name} is not implemented yet; it cannot run.");
        foreach (var role in onlyThese ? roles : run.Roles.Where(r => r.Status != RoleStatus.Successful))
            (role.Status, role.Message) = (RoleStatus.Pending, null);
        (run.Status, run.Message, run.FinishedAt) = (RunStatus.Queued, null, null);
        audit.Append(db, actor, "deployment", $"run {runId}", action, []);
        await db.SaveChangesAsync(ct);
        return Launch(runId, onlyThese ? [.. roles.Select(r => r.Id)] : null) ? Outcome.Ok : Outcome.Conflict("Another run started at the same moment; only one run at a time.");
    }

    private Outcome? MissingAnsible() =>
        AnsibleProcess.IsAvailable(options.Value.PlaybookCommand) && AnsibleProcess.IsAvailable("setsid")
            ? null
            : Outcome.Conflict($"'{options.Value.PlaybookCommand}' is not installed on this appliance, so no role can run (Debian: apt install ansible-core; RHEL: dnf install ansible-core).");

    private bool Launch(int runId, HashSet<int>? only = null)
    {
        lock (_gate)
        {
            if (_active is not null)
                return false;
            var cancel = new CancellationTokenSource();
            var execution = Task.Run(() => ExecuteAsync(runId, only, cancel.Token));
            _active = (runId, cancel, execution);
            return true;
        }
    }

    private async Task ExecuteAsync(int runId, HashSet<int>? only, CancellationToken cancel)
    {
        try
        {
            await new RunExecution(this, runId, only, cancel).RunAsync();
        }
#pragma warning disable CA1031 // an engine bug must end the run as failed, not leave it running
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Run {RunId} stopped on an engine error", runId);
            await FinishAsync(runId, RunStatus.Failed, $"The engine stopped on an error: {e.Message}");
        }
        finally
        {
            lock (_gate)
            {
                _active?.Cancel.Dispose();
                _active = null;
            }
            metrics.RunsFinished.Inc();
            notifier.Changed(runId);
            await PurgeQuietlyAsync();
        }
    }

    private async Task PurgeQuietlyAsync()
    {
        try
        {
            await PurgeAsync(CancellationToken.None);
        }
#pragma warning disable CA1031 // retention is housekeeping: a failure is logged, the run's result stands
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Purging old run events failed");
        }
    }

    internal async Task FinishAsync(int runId, RunStatus status, string? message)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var run = await db.DeploymentRuns.SingleAsync(r => r.Id == runId);
        (run.Status, run.Message, run.FinishedAt) = (status, message, clock.GetUtcNow());
        await db.SaveChangesAsync();
    }

    private IReadOnlyList<CatalogRole> SelectRoles(IReadOnlyList<string>? names, IReadOnlyCollection<string> products, out string? problem)
    {
        problem = null;
        var all = catalog.Catalog;
        IReadOnlyList<CatalogRole> roles;
        if (names is null || names.Count == 0)
            roles = all.PlanFor(products);
        else
        {
            var unknown = names.Where(n => all.Role(n) is null).ToList();
            if (unknown.Count > 0)
            {
                problem = $"Unknown role{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}; the catalog's roles are listed by GET /api/v1/plan.";
                return [];
            }
            roles = [.. all.Roles.Where(r => names.Contains(r.Name))];
        }
        var missing = roles.Where(r => !r.Implemented).Select(r => r.Name).ToList();
        if (missing.Count > 0)
            problem = $"The plan contains {missing.Count} role{(missing.Count > 1 ? "s" : "")} that {(missing.Count > 1 ? "are" : "is")} not implemented yet: {string.Join(", ", missing)}. Nothing was started; run selected roles that are implemented.";
        else if (roles.Count == 0)
            problem = "The plan is empty: select at least one role.";
        return roles;
    }

    private async Task<IReadOnlyCollection<string>> ProductsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.GeneralSettings.AsNoTracking().SingleOrDefaultAsync(ct))?.Products ?? [];
    }

    private async Task<bool> ExistsAsync(int runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DeploymentRuns.AnyAsync(r => r.Id == runId, ct);
    }

    /// <summary>One pass over a run's pending roles.</summary>
    private sealed class RunExecution(DeploymentEngine engine, int runId, HashSet<int>? only, CancellationToken cancel)
    {
        public async Task RunAsync()
        {
            var db = engine.Db;
            List<RoleRun> pending;
            bool check;
            await using (var context = await db.CreateDbContextAsync())
            {
                var run = await context.DeploymentRuns.Include(r => r.Roles).SingleAsync(r => r.Id == runId);
                run.Status = RunStatus.Running;
                await context.SaveChangesAsync();
                check = run.Check;
                pending = [.. run.Roles.Where(r => r.Status == RoleStatus.Pending && (only is null || only.Contains(r.Id))).OrderBy(r => r.Order)];
            }
            engine.Notifier.Changed(runId);
            // One set of inputs for the whole pass: every role of a run sees the same configuration.
            RunInputs inputs;
            await using (var scope = engine.Scopes.CreateAsyncScope())
                inputs = await scope.ServiceProvider.GetRequiredService<RunInputsBuilder>().BuildAsync();
            foreach (var role in pending)
            {
                if (cancel.IsCancellationRequested)
                    break;
                var (status, message) = await RunRoleAsync(role, check, inputs);
                if (status != RoleStatus.Successful)
                {
                    var runStatus = status == RoleStatus.Cancelled ? RunStatus.Cancelled : RunStatus.Failed;
                    await MarkRemainingAsync(pending, role, runStatus);
                    await engine.FinishAsync(runId, runStatus, message);
                    return;
                }
            }
            if (cancel.IsCancellationRequested)
            {
                await MarkRemainingAsync(pending, null, RunStatus.Cancelled);
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
            var workspace = Workspace.Create(engine.Data.RunsPath, runId, role.Order, role.Role, attempt, inputs.Inventory, inputs.Vars, inputs.Secrets);
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
                ["ANSIBLE_HOME"] = Path.Combine(workspace.Root, "home"),
                ["ANSIBLE_SSH_CONTROL_PATH_DIR"] = workspace.ControlPath,
                ["ANSIBLE_PIPELINING"] = "True",
                ["ANSIBLE_HOST_KEY_CHECKING"] = "False",
                ["ANSIBLE_SSH_ARGS"] = $"-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile={Path.Combine(workspace.Root, "known_hosts")}",
                ["ANSIBLE_TIMEOUT"] = "10",
                ["ANSIBLE_PYTHON_INTERPRETER"] = "auto_silent",
                ["ANSIBLE_RETRY_FILES_ENABLED"] = "False",
                ["ANSIBLE_NOCOLOR"] = "True",
                ["ANSIBLE_LOCALHOST_WARNING"] = "False",
                ["ANSIBLE_FORCE_COLOR"] = "False",
            };
            return new AnsibleInvocation(engine.Options.PlaybookCommand, arguments, environment, workspace.Root);
        }

        private async Task MarkRemainingAsync(List<RoleRun> pending, RoleRun? stoppedAt, RunStatus runStatus)
        {
            await using var context = await engine.Db.CreateDbContextAsync();
            var ids = pending.SkipWhile(r => r != stoppedAt && stoppedAt is not null).Skip(stoppedAt is null ? 0 : 1).Select(r => r.Id).ToList();
            if (runStatus == RunStatus.Cancelled)
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
}
