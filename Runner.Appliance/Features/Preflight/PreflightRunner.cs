using Runner.Appliance.Security;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Preflight;

/// <summary>
/// Runs preflights: reads the configuration once, asks every source for its check groups, runs the
/// groups in parallel (bounded), streams each result to the notifier and stores the whole preflight
/// at the end. One full preflight at a time; an item's test may run beside it.
/// </summary>
public sealed class PreflightRunner(IServiceScopeFactory scopes, IDbContextFactory<ApplianceDb> dbFactory, PreflightNotifier notifier,
    IOptions<PreflightOptions> options, TimeProvider clock, ILogger<PreflightRunner> logger)
{
    private readonly Lock _gate = new();
    private LiveRun? _current;

    /// <summary>The full preflight in progress, with the checks not yet answered shown as running.</summary>
    public PreflightReport? Current { get { lock (_gate) return _current?.Snapshot(); } }

    public async Task<(Outcome Outcome, PreflightReport? Report)> RunAsync(PreflightScope scope, string actor, CancellationToken ct = default)
    {
        await using var services = scopes.CreateAsyncScope();
        var inputs = (await services.ServiceProvider.GetRequiredService<PreflightInputsBuilder>().BuildAsync(ct)) with { TestRecipient = scope.TestRecipient };
        var all = services.ServiceProvider.GetServices<IPreflightSource>().SelectMany(s => s.Groups(inputs)).ToList();
        if (scope.CheckIds is { } asked && asked.Except(all.SelectMany(g => g.Checks).Select(c => c.Id)).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } unknown)
            return (Outcome.Invalid("checks", $"No check has the id{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; " +
                                              "GET /api/v1/preflight/latest lists every check with its id."), null);
        var groups = all.Where(scope.Includes).ToList();
        if (!scope.IsAll && groups.Count == 0)
            return (Outcome.NotFound($"No check matches '{scope.Name}'."), null);

        var duplicates = groups.SelectMany(g => g.Checks).GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new InvalidOperationException($"Two checks share the id {string.Join(", ", duplicates)}: check ids must be unique.");
        var run = new PreflightRun { Scope = scope.Name, StartedBy = actor, StartedAt = clock.GetUtcNow(), Fingerprint = inputs.Fingerprint };
        var live = new LiveRun(run, [.. groups.SelectMany(g => g.Checks)]);
        if (scope.IsAll)
            lock (_gate)
            {
                if (_current is { } busy)
                    return (Outcome.Conflict($"Preflight {busy.Run.Id} is running; wait for it to finish."), null);
                _current = live;
            }
        try
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                db.PreflightRuns.Add(run);
                await db.SaveChangesAsync(ct);
            }
            await ExecuteAsync(live, groups, new SecretMasker(inputs.Secrets.Values), ct);
            return (Outcome.Ok, await StoreAsync(live, ct));
        }
        finally
        {
            if (scope.IsAll)
                lock (_gate)
                    _current = null;
            notifier.Ended(run.Id);
        }
    }

    private async Task ExecuteAsync(LiveRun live, List<CheckGroup> groups, SecretMasker masker, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.MaxParallel));
        await Task.WhenAll(groups.Select(async group =>
        {
            await slots.WaitAsync(ct);
            try
            {
                foreach (var check in group.Checks)
                    live.Set(PreflightCheckView.Pending(check, CheckStatus.Running), notifier);
                await new GroupExecution(group, masker, result => live.Set(PreflightCheckView.From(result), notifier)).RunAsync(ct);
            }
            finally
            {
                slots.Release();
            }
        }));
        live.Run.DurationMs = watch.ElapsedMilliseconds;
        logger.LogInformation("Preflight {Id} ({Scope}): {Checks} checks in {Groups} groups, {Ms} ms", live.Run.Id, live.Run.Scope, live.Checks.Count, groups.Count, live.Run.DurationMs);
    }

    private async Task<PreflightReport> StoreAsync(LiveRun live, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.PreflightRuns.SingleAsync(r => r.Id == live.Run.Id, ct);
        (run.FinishedAt, run.DurationMs) = (clock.GetUtcNow(), live.Run.DurationMs);
        run.Results = [.. live.Views().Select((v, i) => v.ToRow(i))];
        await db.SaveChangesAsync(ct);
        return PreflightQueries.ToReport(run, current: true);
    }

    /// <summary>A preflight while it runs: its declared checks, each replaced by its result when it arrives.</summary>
    private sealed class LiveRun(PreflightRun run, List<CheckDefinition> checks)
    {
        private readonly ConcurrentDictionary<string, PreflightCheckView> _views =
            new(checks.Select(c => KeyValuePair.Create(c.Id, PreflightCheckView.Pending(c, CheckStatus.Pending))), StringComparer.Ordinal);

        public PreflightRun Run => run;

        public List<CheckDefinition> Checks => checks;

        public void Set(PreflightCheckView view, PreflightNotifier notifier)
        {
            _views[view.Id] = view;
            notifier.Changed(run.Id, view);
        }

        public IEnumerable<PreflightCheckView> Views() => checks.Select(c => _views[c.Id]);

        public PreflightReport Snapshot() => new(run.Id, run.Scope, run.StartedBy, run.StartedAt, null, 0, true, [.. Views()]);
    }
}
