using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Operations;
using Runner.Appliance.Hosting;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Engine;

/// <summary>
/// Body of <c>POST /api/v1/runs</c>: selected roles (else the whole plan), check mode, and the reason an
/// Admin gives to start although the preflight gate is closed.
/// </summary>
public sealed record StartRunRequest(IReadOnlyList<string>? Roles = null, bool Check = false, [property: TextLimit(500)] string? OverrideReason = null);

/// <summary>
/// Runs plans, one at a time, role by role through <see cref="AnsibleProcess"/>; stops on failure;
/// resumes, retries a role, cancels; marks runs that a dead appliance left as interrupted.
/// Status changes are stored before anything else happens, so a crash leaves a resumable run.
/// </summary>
public sealed class DeploymentEngine(IDbContextFactory<ApplianceDb> dbFactory, CatalogFile catalog, IServiceScopeFactory scopes,
    EventWriter writer, RunNotifier notifier, DataDirectory data, SecretsDirectory secrets, AuditLog audit, ApplianceMetrics metrics,
    IOptions<EngineOptions> options, TimeProvider clock, ILogger<DeploymentEngine> logger)
{
    private readonly Lock _gate = new();

    // What one pass over a run (RunExecution) uses.
    internal IDbContextFactory<ApplianceDb> Db => dbFactory;
    internal CatalogFile Catalog => catalog;
    internal IServiceScopeFactory Scopes => scopes;
    internal EventWriter Writer => writer;
    internal RunNotifier Notifier => notifier;
    internal DataDirectory Data => data;
    internal SecretsDirectory Secrets => secrets;
    internal EngineOptions Options => options.Value;
    internal TimeProvider Clock => clock;
    internal ILogger Log => logger;
    private (int RunId, CancellationTokenSource Cancel, Task Execution)? _active;

    /// <summary>The run in progress, if any.</summary>
    public int? ActiveRunId { get { lock (_gate) return _active?.RunId; } }

    /// <summary>
    /// Starts a run when the preflight gate is open; an Admin (<paramref name="mayOverride"/>) may start
    /// it anyway with a typed reason, which the run and the audit log keep.
    /// </summary>
    public async Task<(Outcome Outcome, int RunId)> StartAsync(StartRunRequest request, string actor, bool mayOverride = false, CancellationToken ct = default)
    {
        if (MissingAnsible() is { } noAnsible)
            return (noAnsible, 0);
        var products = await ProductsAsync(ct);
        var roles = SelectRoles(request.Roles, products, out var problem);
        if (problem is not null)
            return (Outcome.Invalid("roles", problem), 0);
        var (refusal, gateNote, gateOverride) = await GateAsync(request.OverrideReason, mayOverride, ct);
        if (refusal is not null)
            return (refusal, 0);
        lock (_gate)
            if (_active is { } busy)
                return (Outcome.Conflict($"Run {busy.RunId} is in progress; only one run at a time. Wait for it or cancel it."), 0);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = new DeploymentRun
        {
            Status = RunStatus.Queued, Check = request.Check, StartedBy = actor, CreatedAt = clock.GetUtcNow(), Preflight = gateNote,
            GateOverride = gateOverride,
            Roles = [.. roles.Select((r, i) => new RoleRun { Order = i + 1, Role = r.Name, Status = RoleStatus.Pending })],
            Starts = [new RunStart { Kind = RunStartKind.Start, Roles = string.Join(",", roles.Select(r => r.Name)), StartedBy = actor, StartedAt = clock.GetUtcNow(), Gate = gateNote, GateOverride = gateOverride }],
        };
        db.DeploymentRuns.Add(run);
        audit.Append(db, actor, "deployment", $"run of {roles.Count} roles", request.Check ? "started (check mode)" : "started", [.. roles.Select(r => r.Name)]);
        if (gateOverride is { } reason)
            audit.Append(db, actor, "deployment", $"run of {roles.Count} roles", $"preflight gate overridden: {reason}", []);
        await db.SaveChangesAsync(ct);
        return Launch(run.Id) ? (Outcome.Ok, run.Id) : (Outcome.Conflict("Another run started at the same moment; only one run at a time."), run.Id);
    }

    /// <summary>
    /// The one gate decision of every path that starts ansible-playbook (start, resume, retry, selected
    /// roles, check mode): refusal when the gate is closed and not overridden by an Admin for this very
    /// start; else what the gate said, and the override's reason if any.
    /// </summary>
    private async Task<(Outcome? Refusal, string? Note, string? Override)> GateAsync(string? overrideReason, bool mayOverride, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var gate = await scope.ServiceProvider.GetRequiredService<Features.Preflight.PreflightQueries>().GateAsync(ct);
        if (gate.Open)
            return (null, gate.Message, null);
        var reason = overrideReason?.Trim();
        if (string.IsNullOrEmpty(reason))
            return (Outcome.Conflict($"{gate.Message} An Admin can start anyway with a reason."), null, null);
        if (!mayOverride)
            return (Outcome.Forbidden("Only an Admin can start a run while the preflight gate is closed."), null, null);
        if (TextRules.Problem(reason, TextRules.RuleOf(typeof(StartRunRequest).GetProperty(nameof(StartRunRequest.OverrideReason)))) is { } problem)
            return (Outcome.Invalid("overrideReason", problem), null, null);
        if (reason.Length < 10)
            return (Outcome.Invalid("overrideReason", "Say why the run starts despite the preflight, in at least 10 characters (e.g. \"NTP server replaced tomorrow, accepted by J. Doe\")."), null, null);
        return (null, gate.Message, reason);
    }

    /// <summary>Runs again every role of the run that did not succeed, from the first of them; gated like a start.</summary>
    public async Task<Outcome> ResumeAsync(int runId, string actor, bool mayOverride = false, string? overrideReason = null, CancellationToken ct = default) =>
        await RestartAsync(runId, new Restart(RunStartKind.Resume, actor, mayOverride, overrideReason), run => run.Roles.Where(r => r.Status != RoleStatus.Successful), ct);

    /// <summary>Runs one role of the run again (whatever its status), and only that role; gated like a start.</summary>
    public async Task<Outcome> RetryAsync(int runId, string role, string actor, bool mayOverride = false, string? overrideReason = null, CancellationToken ct = default) =>
        await RestartAsync(runId, new Restart(RunStartKind.Retry, actor, mayOverride, overrideReason), run => run.Roles.Where(r => r.Role == role), ct, onlyThese: true);

    private sealed record Restart(RunStartKind Kind, string Actor, bool MayOverride, string? OverrideReason);

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

    /// <summary>
    /// At start-up: a run the previous process left running is interrupted, its running role failed, its
    /// ansible stopped (normally the guard has done it already); the secrets any role run left are deleted.
    /// </summary>
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
        var (directories, files) = (secrets.RemoveLeftovers(), Workspace.RemoveLegacySecrets(data.RunsPath, logger));
        if (directories + files > 0)
            logger.LogWarning("Removed the secrets left by role runs that did not end: {Directories} directories in {SecretsDirectory}, {Files} files of older versions in {RunsDirectory}",
                directories, secrets.Root, files, data.RunsPath);
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

    private async Task<Outcome> RestartAsync(int runId, Restart restart, Func<DeploymentRun, IEnumerable<RoleRun>> select, CancellationToken ct, bool onlyThese = false)
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
        var (refusal, gateNote, gateOverride) = await GateAsync(restart.OverrideReason, restart.MayOverride, ct);
        if (refusal is not null)
            return refusal;
        var relaunched = onlyThese ? roles : [.. run.Roles.Where(r => r.Status != RoleStatus.Successful)];
        foreach (var role in relaunched)
            (role.Status, role.Message) = (RoleStatus.Pending, null);
        (run.Status, run.Message, run.FinishedAt) = (RunStatus.Queued, null, null);
        db.RunStarts.Add(new RunStart
        {
            RunId = runId, Kind = restart.Kind, Roles = string.Join(",", relaunched.OrderBy(r => r.Order).Select(r => r.Role)),
            StartedBy = restart.Actor, StartedAt = clock.GetUtcNow(), Gate = gateNote, GateOverride = gateOverride,
        });
        var action = restart.Kind == RunStartKind.Resume ? "resumed" : $"retried {roles[0].Role}";
        audit.Append(db, restart.Actor, "deployment", $"run {runId}", action, []);
        if (gateOverride is { } reason)
            audit.Append(db, restart.Actor, "deployment", $"run {runId}", $"preflight gate overridden: {reason}", []);
        await db.SaveChangesAsync(ct);
        return Launch(runId, onlyThese ? [.. roles.Select(r => r.Id)] : null) ? Outcome.Ok : Outcome.Conflict("Another run started at the same moment; only one run at a time.");
    }

    private Outcome? MissingAnsible()
    {
        if (!AnsibleProcess.IsAvailable(options.Value.PlaybookCommand) || !AnsibleProcess.IsAvailable("setsid"))
            return Outcome.Conflict($"'{options.Value.PlaybookCommand}' is not installed on this appliance, so no role can run (Debian: apt install ansible-core; RHEL: dnf install ansible-core).");
        if (!AnsibleProcess.IsAvailable(options.Value.GuardPython) || !File.Exists(catalog.GuardPath))
            return Outcome.Conflict($"No role can run: the guard {catalog.GuardPath} or its interpreter '{options.Value.GuardPython}' (Appliance:Engine:GuardPython) is missing.");
        return secrets.Problem is { } problem ? Outcome.Conflict($"No role can run: {problem} Set Appliance:Engine:SecretsDirectory to a directory on tmpfs.") : null;
    }

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
}
