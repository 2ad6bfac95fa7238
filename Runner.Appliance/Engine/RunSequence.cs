using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Engine;

/// <summary>
/// One pass over a run's pending roles, in order: one set of inputs for the whole pass, stop at the first
/// role that does not succeed (the roles after it stay pending for a resume, or are cancelled with it).
/// </summary>
public sealed class RunSequence(IDbContextFactory<ApplianceDb> dbFactory, IServiceScopeFactory scopes, RoleRunner roles, RunNotifier notifier, TimeProvider clock)
{
    public async Task RunAsync(int runId, IReadOnlySet<int>? only, CancellationToken cancel)
    {
        // Every role of the pass sees the same configuration, recorded with the run.
        RunInputs inputs;
        await using (var scope = scopes.CreateAsyncScope())
            inputs = await scope.ServiceProvider.GetRequiredService<RunInputsBuilder>().BuildAsync(CancellationToken.None);
        List<RoleRun> pending;
        bool check;
        await using (var context = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            var run = await context.DeploymentRuns.Include(r => r.Roles).SingleAsync(r => r.Id == runId, CancellationToken.None);
            (run.Status, run.ConfigurationSnapshot) = (RunStatus.Running, inputs.Snapshot);
            await context.SaveChangesAsync(CancellationToken.None);
            check = run.Check;
            pending = [.. run.Roles.Where(r => r.Status == RoleStatus.Pending && (only is null || only.Contains(r.Id))).OrderBy(r => r.Order)];
        }
        notifier.Changed(runId);
        foreach (var role in pending)
        {
            if (cancel.IsCancellationRequested)
                break;
            (var status, var message, inputs) = await roles.RunAsync(runId, role, check, inputs, cancel);
            if (status != RoleStatus.Successful)
            {
                if (status == RoleStatus.Cancelled)
                    await CancelRemainingAsync(pending.SkipWhile(r => r != role).Skip(1));
                await FinishAsync(runId, status == RoleStatus.Cancelled ? RunStatus.Cancelled : RunStatus.Failed, message);
                return;
            }
        }
        if (cancel.IsCancellationRequested)
        {
            await CancelRemainingAsync(pending);
            await FinishAsync(runId, RunStatus.Cancelled, "Cancelled before the next role started.");
            return;
        }
        await FinishAsync(runId, RunStatus.Successful, null);
    }

    /// <summary>The run's end, stored (also for an engine error: the run never stays "running").</summary>
    public async Task FinishAsync(int runId, RunStatus status, string? message)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.DeploymentRuns.SingleAsync(r => r.Id == runId, CancellationToken.None);
        (run.Status, run.Message, run.FinishedAt) = (status, message, clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task CancelRemainingAsync(IEnumerable<RoleRun> roles)
    {
        var ids = roles.Select(r => r.Id).ToList();
        await using var context = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        foreach (var role in await context.RoleRuns.Where(r => ids.Contains(r.Id) && r.Status == RoleStatus.Pending).ToListAsync(CancellationToken.None))
            (role.Status, role.Message) = (RoleStatus.Cancelled, "not started: the run was cancelled");
        await context.SaveChangesAsync(CancellationToken.None);
    }
}
