using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Operations;

namespace Runner.Appliance.Engine;

/// <summary>
/// Launches runs, one at a time, in the background (<see cref="RunSequence"/>); cancels the active
/// one; says when it is idle. What may start, and who may, is decided before: by the runs service.
/// </summary>
public sealed class DeploymentEngine(RunSequence sequence, RunRecovery recovery, RunNotifier notifier, SecretsDirectory secrets, ApplianceMetrics metrics,
    IOptions<EngineOptions> options, ILogger<DeploymentEngine> logger)
{
    private readonly Lock _gate = new();
    private (int RunId, CancellationTokenSource Cancel, Task Execution)? _active;

    /// <summary>The run in progress, if any.</summary>
    public int? ActiveRunId { get { lock (_gate) return _active?.RunId; } }

    /// <summary>Why no role can run on this appliance (no ansible-playbook, no place for its secrets), or null.</summary>
    public string? CannotRun =>
        !AnsibleProcess.IsAvailable(options.Value.PlaybookCommand) || !AnsibleProcess.IsAvailable("setsid")
            ? $"'{options.Value.PlaybookCommand}' is not installed on this appliance, so no role can run (Debian: apt install ansible-core; RHEL: dnf install ansible-core)."
            : secrets.Problem is { } problem ? $"No role can run: {problem} Set Appliance:Engine:SecretsDirectory to a directory on tmpfs." : null;

    /// <summary>Starts a pass over the run's pending roles (<paramref name="only"/> those role runs); false when a run is already active.</summary>
    public bool TryLaunch(int runId, IReadOnlySet<int>? only = null)
    {
        lock (_gate)
        {
            if (_active is not null)
                return false;
            var cancel = new CancellationTokenSource();
            // On the thread pool, never on the caller's context (a page's circuit): the caller returns at once.
            var execution = Task.Run(() => ExecuteAsync(runId, only, cancel.Token));
            _active = (runId, cancel, execution);
            return true;
        }
    }

    /// <summary>Cancels the run if it is the active one (SIGINT to its role's process group, then kill).</summary>
    public async Task<bool> CancelAsync(int runId)
    {
        CancellationTokenSource? cancel;
        lock (_gate)
            cancel = _active is { } active && active.RunId == runId ? active.Cancel : null;
        if (cancel is null)
            return false;
        await cancel.CancelAsync();
        return true;
    }

    /// <summary>Waits for the active run to end (tests, shutdown).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
            return _active?.Execution ?? Task.CompletedTask;
    }

    private async Task ExecuteAsync(int runId, IReadOnlySet<int>? only, CancellationToken cancel)
    {
        try
        {
            await sequence.RunAsync(runId, only, cancel);
        }
#pragma warning disable CA1031 // an engine bug must end the run as failed, not leave it running
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Run {RunId} stopped on an engine error", runId);
            await sequence.FinishAsync(runId, RunStatus.Failed, $"The engine stopped on an error: {e.Message}");
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
            await recovery.PurgeAsync(CancellationToken.None);
        }
#pragma warning disable CA1031 // retention is housekeeping: a failure is logged, the run's result stands
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Purging old run events failed");
        }
    }
}
