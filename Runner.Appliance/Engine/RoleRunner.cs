using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Runner.Appliance.Data;
using Runner.Appliance.Hosting;

namespace Runner.Appliance.Engine;

/// <summary>
/// One role run: stores that it runs, prepares its workspace (secrets on tmpfs), runs ansible-playbook
/// through <see cref="AnsibleProcess"/>, hands each line to the writer, and stores how it ended.
/// </summary>
public sealed class RoleRunner(IDbContextFactory<ApplianceDb> dbFactory, CatalogFile catalog, EventWriter writer, RunNotifier notifier,
    DataDirectory data, SecretsDirectory secrets, Features.Credentials.RoleOutputs outputs, IOptions<EngineOptions> options, TimeProvider clock, ILogger<RoleRunner> logger)
{
    /// <summary>Runs the role; <c>Inputs</c> is <paramref name="inputs"/> with what the role published, for the roles after it.</summary>
    public async Task<(RoleStatus Status, string? Message, RunInputs Inputs)> RunAsync(int runId, RoleRun role, bool check, RunInputs inputs, CancellationToken cancel)
    {
        var definition = catalog.Catalog.Role(role.Role)!;
        var attempt = await UpdateAsync(runId, role.Id, r =>
        {
            (r.Status, r.StartedAt, r.FinishedAt, r.ExitCode, r.Message) = (RoleStatus.Running, clock.GetUtcNow(), null, null, null);
            r.Attempts++;
            r.VarsJson = inputs.RecordedVars;
        });
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var workspace = Workspace.Create(data.RunsPath, secrets, runId, role.Order, role.Role, attempt, inputs.Inventory, inputs.Vars, inputs.Secrets, inputs.Outputs);
        var outcome = new RoleOutcome();
        int exitCode;
        TimeSpan prepared = default;
        try
        {
            var connection = await RoleInvocation.ConnectionAsync(inputs, workspace);
            prepared = stopwatch.Elapsed;
            exitCode = await AnsibleProcess.RunAsync(RoleInvocation.Build(catalog, options.Value, definition, workspace, check, connection), async (line, isStderr) =>
                {
                    var e = EventParser.Parse(line, isStderr, inputs.Masker, outcome, clock.GetUtcNow());
                    (e.RunId, e.RoleRunId, e.Attempt) = (runId, role.Id, attempt);
                    await writer.WriteAsync(e);
                },
                group => _ = UpdateAsync(runId, role.Id, r => r.ProcessGroup = group),
                options.Value.CancelGracePeriod, cancel);
        }
        finally
        {
            workspace.DeleteSecrets();
        }
        var ran = stopwatch.Elapsed;
        await writer.FlushAsync(CancellationToken.None); // every event of the role is stored, even after a cancel
        var (status, message) = RoleInvocation.Interpret(role.Role, exitCode, outcome, cancel.IsCancellationRequested);
        // Kept whatever the role's end: a Vault initialised before a later task failed has published its only unseal keys.
        // A check run changes nothing, and what it publishes is not real.
        if (outcome.Outputs is { Count: > 0 } published && !check)
        {
            var secretValues = await outputs.StoreAsync(runId, role.Role, published, CancellationToken.None);
            inputs = inputs.WithOutputs(role.Role, published, secretValues);
        }
        await UpdateAsync(runId, role.Id, r => (r.Status, r.FinishedAt, r.ExitCode, r.Message, r.ProcessGroup) = (status, clock.GetUtcNow(), exitCode, message, null));
        logger.LogInformation("Run {RunId} role {Role} ended {Status} (exit {ExitCode}) in {Total:0} ms: workspace {Prepared:0} ms, ansible-playbook {Process:0} ms, events and status {After:0} ms",
            runId, role.Role, status, exitCode, stopwatch.Elapsed.TotalMilliseconds, prepared.TotalMilliseconds, (ran - prepared).TotalMilliseconds, (stopwatch.Elapsed - ran).TotalMilliseconds);
        return (status, message, inputs);
    }

    private async Task<int> UpdateAsync(int runId, int roleRunId, Action<RoleRun> change)
    {
        await using var context = await dbFactory.CreateDbContextAsync();
        var role = await context.RoleRuns.SingleAsync(r => r.Id == roleRunId);
        change(role);
        await context.SaveChangesAsync();
        notifier.Changed(runId);
        return role.Attempts;
    }
}
