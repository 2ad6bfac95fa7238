using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Runs;

/// <summary>
/// The runs capability: what may start (the plan, selected roles, implemented only), who may start it
/// (the preflight gate, an Admin's override for one start), the record of every start, and the audit.
/// Pages and the API call this; it hands admitted runs to the engine, which only executes.
/// </summary>
public sealed class RunsService(IDbContextFactory<ApplianceDb> dbFactory, CatalogFile catalog, DeploymentEngine engine, PreflightQueries preflight,
    AuditLog audit, TimeProvider clock)
{
    public const int MinimumReasonLength = 10;

    /// <summary>Whether a run may start now, and why not.</summary>
    public Task<PreflightGateState> GateAsync(CancellationToken ct = default) => preflight.GateAsync(ct);

    /// <summary>Starts a run when the gate is open; an Admin (<paramref name="mayOverride"/>) may start it anyway with a typed reason.</summary>
    public async Task<(Outcome Outcome, int RunId)> StartAsync(StartRunRequest request, string actor, bool mayOverride = false, CancellationToken ct = default)
    {
        if (engine.CannotRun is { } cannotRun)
            return (Outcome.Conflict(cannotRun), 0);
        var roles = RunPlan.Select(catalog.Catalog, request.Roles, await ProductsAsync(ct), out var problem);
        if (problem is not null)
            return (Outcome.Invalid("roles", problem), 0);
        var (refusal, gateNote, gateOverride) = await GateAsync(request.OverrideReason, mayOverride, ct);
        if (refusal is not null)
            return (refusal, 0);
        if (engine.ActiveRunId is { } busy)
            return (Outcome.Conflict($"Run {busy} is in progress; only one run at a time. Wait for it or cancel it."), 0);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = new DeploymentRun
        {
            Status = RunStatus.Queued, Check = request.Check, StartedBy = actor, CreatedAt = clock.GetUtcNow(), Preflight = gateNote, GateOverride = gateOverride,
            Roles = [.. roles.Select((r, i) => new RoleRun { Order = i + 1, Role = r.Name, Status = RoleStatus.Pending })],
            Starts = [new RunStart { Kind = RunStartKind.Start, Roles = string.Join(",", roles.Select(r => r.Name)), StartedBy = actor, StartedAt = clock.GetUtcNow(), Gate = gateNote, GateOverride = gateOverride }],
        };
        db.DeploymentRuns.Add(run);
        audit.Append(db, actor, "deployment", $"run of {roles.Count} roles", request.Check ? "started (check mode)" : "started", [.. roles.Select(r => r.Name)]);
        if (gateOverride is { } reason)
            audit.Append(db, actor, "deployment", $"run of {roles.Count} roles", $"preflight gate overridden: {reason}", []);
        await db.SaveChangesAsync(ct);
        return engine.TryLaunch(run.Id) ? (Outcome.Ok, run.Id) : (Outcome.Conflict("Another run started at the same moment; only one run at a time."), run.Id);
    }

    /// <summary>Runs again every role of the run that did not succeed, from the first of them; gated like a start.</summary>
    public Task<Outcome> ResumeAsync(int runId, string actor, bool mayOverride = false, string? overrideReason = null, CancellationToken ct = default) =>
        RestartAsync(runId, new Restart(RunStartKind.Resume, actor, mayOverride, overrideReason), run => run.Roles.Where(r => r.Status != RoleStatus.Successful), ct);

    /// <summary>Runs one role of the run again (whatever its status), and only that role; gated like a start.</summary>
    public Task<Outcome> RetryAsync(int runId, string role, string actor, bool mayOverride = false, string? overrideReason = null, CancellationToken ct = default) =>
        RestartAsync(runId, new Restart(RunStartKind.Retry, actor, mayOverride, overrideReason), run => run.Roles.Where(r => r.Role == role), ct, onlyThese: true);

    public async Task<Outcome> CancelAsync(int runId, string actor, CancellationToken ct = default)
    {
        if (engine.ActiveRunId != runId)
            return await ExistsAsync(runId, ct) ? Outcome.Conflict($"Run {runId} is not running.") : Outcome.NotFound($"There is no run {runId}.");
        await audit.RecordAsync(actor, "deployment", $"run {runId}", "cancel requested", [], ct);
        return await engine.CancelAsync(runId) ? Outcome.Ok : Outcome.Conflict($"Run {runId} is not running.");
    }

    private sealed record Restart(RunStartKind Kind, string Actor, bool MayOverride, string? OverrideReason);

    private async Task<Outcome> RestartAsync(int runId, Restart restart, Func<DeploymentRun, IEnumerable<RoleRun>> select, CancellationToken ct, bool onlyThese = false)
    {
        if (engine.CannotRun is { } cannotRun)
            return Outcome.Conflict(cannotRun);
        if (engine.ActiveRunId is { } busy)
            return Outcome.Conflict($"Run {busy} is in progress; only one run at a time.");
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
        return engine.TryLaunch(runId, onlyThese ? roles.Select(r => r.Id).ToHashSet() : null)
            ? Outcome.Ok : Outcome.Conflict("Another run started at the same moment; only one run at a time.");
    }

    /// <summary>
    /// The one gate decision of every path that starts ansible-playbook (start, resume, retry, selected
    /// roles, check mode): refusal when the gate is closed and not overridden by an Admin for this very
    /// start; else what the gate said, and the override's reason if any.
    /// </summary>
    private async Task<(Outcome? Refusal, string? Note, string? Override)> GateAsync(string? overrideReason, bool mayOverride, CancellationToken ct)
    {
        var gate = await preflight.GateAsync(ct);
        if (gate.Open)
            return (null, gate.Message, null);
        var reason = overrideReason?.Trim();
        if (string.IsNullOrEmpty(reason))
            return (Outcome.Conflict($"{gate.Message} An Admin can start anyway with a reason."), null, null);
        if (!mayOverride)
            return (Outcome.Forbidden("Only an Admin can start a run while the preflight gate is closed."), null, null);
        if (TextRules.Problem(reason, TextRules.RuleOf(typeof(StartRunRequest).GetProperty(nameof(StartRunRequest.OverrideReason)))) is { } problem)
            return (Outcome.Invalid("overrideReason", problem), null, null);
        if (reason.Length < MinimumReasonLength)
            return (Outcome.Invalid("overrideReason", "Say why the run starts despite the preflight, in at least 10 characters (e.g. \"NTP server replaced tomorrow, accepted by J. Doe\")."), null, null);
        return (null, gate.Message, reason);
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
