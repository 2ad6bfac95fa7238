using System.Collections.Concurrent;

namespace Runner.Appliance.Features.Preflight;

/// <summary>A preflight while it runs: its declared checks, each replaced by its state as it arrives, each change published.</summary>
internal sealed class LiveRun(PreflightRun run, List<CheckDefinition> checks, PreflightNotifier notifier)
{
    private readonly ConcurrentDictionary<string, PreflightCheckView> _views =
        new(checks.Select(c => KeyValuePair.Create(c.Id, PreflightCheckView.Pending(c, CheckStatus.Pending))), StringComparer.Ordinal);

    public PreflightRun Run => run;

    public List<CheckDefinition> Checks => checks;

    public void Set(PreflightCheckView view)
    {
        _views[view.Id] = view;
        notifier.Publish(new CheckChanged(run.Id, view));
    }

    public IEnumerable<PreflightCheckView> Views() => checks.Select(c => _views[c.Id]);

    public PreflightReport Snapshot() => new(run.Id, run.Scope, run.StartedBy, run.StartedAt, null, 0, true, [.. Views()]);
}
