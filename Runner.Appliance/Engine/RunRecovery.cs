using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Runner.Appliance.Data;
using Runner.Appliance.Hosting;

namespace Runner.Appliance.Engine;

/// <summary>
/// What a run leaves behind: at start-up, runs a dead appliance left running become interrupted (their
/// ansible stopped, their secrets removed); after the retention period, ended runs lose their events.
/// </summary>
public sealed class RunRecovery(IDbContextFactory<ApplianceDb> dbFactory, DataDirectory data, SecretsDirectory secrets,
    IOptions<EngineOptions> options, TimeProvider clock, ILogger<RunRecovery> logger)
{
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
}
