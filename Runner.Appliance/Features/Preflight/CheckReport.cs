namespace Runner.Appliance.Features.Preflight;

/// <summary>Where a group reports its checks' outcomes; the runner stamps durations and streams them out. The first outcome of a check wins.</summary>
public sealed class CheckReport(Action<CheckDefinition, CheckOutcome> sink)
{
    private readonly HashSet<string> _reported = [];

    public void Report(CheckDefinition check, CheckOutcome outcome)
    {
        lock (_reported)
            if (!_reported.Add(check.Id))
                return;
        sink(check, outcome);
    }

    public bool IsReported(CheckDefinition check)
    {
        lock (_reported)
            return _reported.Contains(check.Id);
    }

    /// <summary>Skips every check of <paramref name="checks"/> not yet reported, with the reason.</summary>
    public void SkipRest(IEnumerable<CheckDefinition> checks, string reason)
    {
        foreach (var check in checks)
            Report(check, CheckOutcome.Skipped(reason));
    }
}
