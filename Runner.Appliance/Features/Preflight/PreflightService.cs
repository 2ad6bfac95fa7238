using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Preflight;

/// <summary>What a page shows of the preflight: the one running now, else the latest finished, and the gate that one sets.</summary>
public sealed record PreflightOverview(PreflightReport? Report, PreflightGateState Gate);

/// <summary>
/// The preflight as pages and the API use it: start the full preflight in the background and follow
/// it, run chosen checks or one item's checks and wait for their report, read where things stand.
/// </summary>
public sealed class PreflightService(PreflightRunner runner, PreflightQueries queries, PreflightNotifier notifier)
{
    /// <summary>The full preflight in progress, with the checks not yet answered shown as running.</summary>
    public PreflightReport? Current => runner.Current;

    /// <summary>News of every preflight (a check's new state, the end) until the subscription is disposed.</summary>
    public IDisposable Subscribe(Action<PreflightNews> handler) => notifier.Subscribe(handler);

    /// <summary>
    /// Starts the full preflight in the background; Conflict while one runs. Its id comes back once its
    /// checks are declared: from then on <see cref="Current"/> shows it, and the news follows it to its end.
    /// </summary>
    public Task<(Outcome Outcome, int PreflightId)> StartAsync(string actor, CancellationToken ct = default) =>
        runner.StartAsync(PreflightScope.All, actor, ct);

    /// <summary>Every check, or the chosen ones (each with its group), and their report once stored.</summary>
    public Task<(Outcome Outcome, PreflightReport? Report)> RunAsync(IReadOnlyList<string>? checkIds, string actor, CancellationToken ct = default) =>
        runner.RunAsync(checkIds is { Count: > 0 } ids ? PreflightScope.Checks(ids) : PreflightScope.All, actor, ct);

    /// <summary>
    /// The checks of one item (<paramref name="owner"/>: "hypervisors:3", "security") and their report;
    /// with <paramref name="testRecipient"/>, an SMTP server's test also sends one test mail. NotFound when the item has no check.
    /// </summary>
    public Task<(Outcome Outcome, PreflightReport? Report)> TestAsync(string owner, string actor, string? testRecipient = null, CancellationToken ct = default) =>
        runner.RunAsync(PreflightScope.Item(owner) with { TestRecipient = testRecipient }, actor, ct);

    /// <summary>One read of the latest finished preflight serves the report shown and the gate.</summary>
    public async Task<PreflightOverview> OverviewAsync(CancellationToken ct = default)
    {
        var finished = await queries.LatestFinishedAsync(ct);
        return new(runner.Current ?? finished, PreflightQueries.GateOf(finished));
    }
}
