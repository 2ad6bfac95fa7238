namespace Runner.Appliance.Features.Preflight;

/// <summary>One check as the page and the API show it.</summary>
public sealed record PreflightCheckView(string Id, string Category, string Title, CheckSeverity Severity, CheckStatus Status,
    string Message, string? Detail, string? Area, string? Item, string? Field, string? Link, long DurationMs)
{
    public bool Blocks => Severity == CheckSeverity.Blocking && Status == CheckStatus.Failed;

    public static PreflightCheckView Pending(CheckDefinition check, CheckStatus status) =>
        new(check.Id, check.Category, check.Title, check.Severity, status, status == CheckStatus.Running ? "running…" : "waiting",
            null, check.Target?.Area, check.Target?.Item, check.Target?.Field, null, 0);

    public static PreflightCheckView From(CheckResult result) =>
        new(result.Check.Id, result.Check.Category, result.Check.Title, result.Check.Severity, result.Status, result.Message, result.Detail,
            result.Check.Target?.Area, result.Check.Target?.Item, result.Field ?? result.Check.Target?.Field, result.Link, result.DurationMs);

    public static PreflightCheckView From(PreflightResult row) =>
        new(row.CheckId, row.Category, row.Title, row.Severity, row.Status, row.Message, row.Detail, row.Area, row.Item, row.Field, row.Link, row.DurationMs);

    public PreflightResult ToRow(int order) => new()
    {
        Order = order, CheckId = Id, Category = Category, Title = Title, Severity = Severity, Status = Status, Message = Message,
        Detail = Detail, Area = Area, Item = Item, Field = Field, Link = Link, DurationMs = DurationMs,
    };
}

/// <summary>A preflight with its checks; <see cref="Current"/> says whether the configuration is still the one it checked.</summary>
public sealed record PreflightReport(int Id, string Scope, string StartedBy, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    long DurationMs, bool Current, IReadOnlyList<PreflightCheckView> Checks)
{
    public int Count(CheckStatus status) => Checks.Count(c => c.Status == status);

    public int Blocking => Checks.Count(c => c.Blocks);

    public bool Running => FinishedAt is null;
}

/// <summary>Whether a deployment may start, and why not.</summary>
public sealed record PreflightGateState(bool Open, string Message, int? PreflightId, IReadOnlyList<PreflightCheckView> Blocking);
