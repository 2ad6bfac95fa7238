namespace Runner.Appliance.Features.Preflight;

/// <summary>
/// Checks that share one conversation with one system (a vCenter session, an LDAP bind): they run
/// in order inside one time bound, and a check whose prerequisite failed is skipped with the reason.
/// The base holds what every group does the same way: the check under way, the answer bound, and
/// failing one check while skipping the rest.
/// </summary>
public abstract class CheckGroup
{
    /// <summary>The share of the group's bound a system has to answer in; the rest is the group's to say so itself.</summary>
    private const double AnswerShare = 0.8;

    private readonly List<CheckDefinition> _checks = [];
    private volatile CheckDefinition? _current;

    /// <param name="timeout">The group's bound: <see cref="PreflightOptions.CheckTimeout"/>, or <see cref="PreflightOptions.SideBySideTimeout"/>.</param>
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

    /// <summary>The check under way (see <see cref="Begin"/>); null in a group whose checks run side by side.</summary>
    public CheckDefinition? Current => _current;

    /// <summary>
    /// How long the system has to answer: inside the runner's bound, so that a silent server is reported
    /// at the check under way with what the group knows, rather than as a bare "no answer".
    /// </summary>
    protected virtual TimeSpan Answer => Timeout * AnswerShare;

    /// <summary>Runs the checks and reports each through <paramref name="report"/> as soon as it is known.</summary>
    public abstract Task RunAsync(CheckReport report, CancellationToken ct);

    protected CheckDefinition Define(string id, string category, string title, CheckSeverity severity, FieldRef? target)
    {
        var check = new CheckDefinition(id, category, title, severity, target);
        _checks.Add(check);
        return check;
    }

    /// <summary>Marks <paramref name="check"/> as under way: silence, a timeout or an exception from here on is reported against it.</summary>
    protected void Begin(CheckDefinition check) => _current = check;

    /// <summary>Reports <paramref name="outcome"/> for <paramref name="check"/> and skips every check not yet reported; false, for <c>return Stop(…)</c>.</summary>
    protected bool Stop(CheckReport report, CheckDefinition check, CheckOutcome outcome, string reason)
    {
        report.Report(check, outcome);
        report.SkipRest(Checks, reason);
        return false;
    }

    /// <summary>Fails the check under way with <paramref name="outcome"/> and skips the rest (none when <paramref name="reason"/> is null): the system stopped the conversation.</summary>
    protected void Interrupt(CheckReport report, CheckOutcome outcome, string? reason)
    {
        if (Running(report) is { } check)
            report.Report(check, outcome);
        if (reason is not null)
            report.SkipRest(Checks, reason);
    }

    /// <summary>
    /// Runs <paramref name="converse"/> within <see cref="Answer"/>: when the system falls silent (the bound
    /// ends, or its client gives up with a <see cref="TimeoutException"/>), <paramref name="silence"/> is the
    /// outcome of the check under way and the rest are skipped with <paramref name="reason"/> (null: they still run).
    /// The runner's own cancellation passes through.
    /// </summary>
    protected async Task WithinAnswerAsync(CheckReport report, Func<CancellationToken, Task> converse, Func<CheckOutcome> silence, string? reason, CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(Answer);
        try
        {
            await converse(bound.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            Interrupt(report, silence(), reason);
        }
    }

    /// <summary>Where an unexpected end belongs: the check under way if it has not answered, else the first one not reported.</summary>
    internal CheckDefinition? Running(CheckReport report) =>
        _current is { } current && !report.IsReported(current) ? current : _checks.FirstOrDefault(c => !report.IsReported(c));
}
