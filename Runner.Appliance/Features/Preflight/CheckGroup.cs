namespace Runner.Appliance.Features.Preflight;

/// <summary>
/// Checks that share one conversation with one system (a vCenter session, an LDAP bind): they run
/// in order inside one time bound, and a check whose prerequisite failed is skipped with the reason.
/// </summary>
public abstract class CheckGroup
{
    private readonly List<CheckDefinition> _checks = [];

    protected CheckGroup(string owner, TimeSpan timeout)
    {
        Owner = owner;
        Timeout = timeout;
    }

    /// <summary>The configuration item the group tests ("hypervisors:3", "security", "network"): per-entity test endpoints select by it.</summary>
    public string Owner { get; }

    /// <summary>The bound for the whole group; checks not reported by then fail with "no answer within …".</summary>
    public TimeSpan Timeout { get; }

    public IReadOnlyList<CheckDefinition> Checks => _checks;

    protected CheckDefinition Define(string id, string category, string title, CheckSeverity severity, FieldRef? target)
    {
        var check = new CheckDefinition(id, category, title, severity, target);
        _checks.Add(check);
        return check;
    }

    /// <summary>Runs the checks and reports each through <paramref name="report"/> as soon as it is known.</summary>
    public abstract Task RunAsync(CheckReport report, CancellationToken ct);
}

/// <summary>Where a group reports its checks' outcomes; the runner stamps durations and streams them out.</summary>
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
