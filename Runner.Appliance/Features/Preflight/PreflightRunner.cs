using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Runner.Appliance.Data;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Preflight;

/// <summary>
/// Runs preflights: reads the configuration once, asks every source for its check groups, runs the
/// groups in parallel (bounded), streams each result to the notifier and stores the whole preflight
/// at the end. One full preflight at a time; an item's test may run beside it.
/// </summary>
public sealed partial class PreflightRunner(IServiceScopeFactory scopes, IDbContextFactory<ApplianceDb> dbFactory, PreflightNotifier notifier,
    IOptions<PreflightOptions> options, TimeProvider clock, ILogger<PreflightRunner> logger)
{
    private readonly Lock _gate = new();
    private LiveRun? _current;
    private Task _background = Task.CompletedTask;

    /// <summary>The full preflight in progress, with the checks not yet answered shown as running.</summary>
    public PreflightReport? Current { get { lock (_gate) return _current?.Snapshot(); } }

    /// <summary>Runs the preflight of <paramref name="scope"/> and returns its report once stored.</summary>
    public async Task<(Outcome Outcome, PreflightReport? Report)> RunAsync(PreflightScope scope, string actor, CancellationToken ct = default)
    {
        var (outcome, run) = await PrepareAsync(scope, actor, ct);
        return run is null ? (outcome, null) : (Outcome.Ok, await ExecuteAsync(run, ct));
    }

    /// <summary>
    /// Starts the preflight of <paramref name="scope"/> in the background and returns its id once its
    /// checks are declared (<see cref="Current"/> shows a full one from then on). The preflight belongs
    /// to the appliance, not to whoever started it: it finishes even if they leave.
    /// </summary>
    public async Task<(Outcome Outcome, int PreflightId)> StartAsync(PreflightScope scope, string actor, CancellationToken ct = default)
    {
        var (outcome, run) = await PrepareAsync(scope, actor, ct);
        if (run is null)
            return (outcome, 0);
        var execution = Task.Run(() => FinishAsync(run), CancellationToken.None);
        lock (_gate)
            _background = _background.IsCompleted ? execution : Task.WhenAll(_background, execution);
        return (Outcome.Ok, run.Live.Run.Id);
    }

    /// <summary>Completes once every preflight started in the background has ended.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
            return _background;
    }

    private async Task FinishAsync(PreparedRun run)
    {
        try
        {
            // Not the starter's token: nobody waits for it, and a half-stored preflight helps no one.
            await ExecuteAsync(run, CancellationToken.None);
        }
#pragma warning disable CA1031 // nobody awaits a background preflight: its failure is logged, and its end published all the same
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Preflight {Id} failed", run.Live.Run.Id);
        }
    }

    /// <summary>The groups of <paramref name="scope"/>, declared, and the preflight's row stored (it has its id); null with the reason when it cannot run.</summary>
    private async Task<(Outcome Outcome, PreparedRun? Run)> PrepareAsync(PreflightScope scope, string actor, CancellationToken ct)
    {
        // The groups may hold scoped services: the scope lives as long as the preflight.
        var services = scopes.CreateAsyncScope();
        try
        {
            var inputs = (await services.ServiceProvider.GetRequiredService<PreflightInputsBuilder>().BuildAsync(ct)) with { TestRecipient = scope.TestRecipient };
            var all = services.ServiceProvider.GetServices<IPreflightSource>().SelectMany(s => s.Groups(inputs)).ToList();
            if (Refusal(scope, all) is { } refusal)
            {
                await services.DisposeAsync();
                return (refusal, null);
            }
            var groups = all.Where(scope.Includes).ToList();
            var run = new PreflightRun { Scope = scope.Name, StartedBy = actor, StartedAt = clock.GetUtcNow(), Fingerprint = inputs.Fingerprint };
            var prepared = new PreparedRun(services, new LiveRun(run, [.. groups.SelectMany(g => g.Checks)], notifier), groups,
                new SecretMasker(inputs.Secrets.Values), Exclusive: scope.IsAll);
            if (!Claim(prepared, out var busy))
            {
                await services.DisposeAsync();
                return (Outcome.Conflict($"Preflight {busy} is running; wait for it to finish."), null);
            }
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                db.PreflightRuns.Add(run);
                await SaveOrReleaseAsync(db, prepared, ct);
            }
            return (Outcome.Ok, prepared);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    /// <summary>A full preflight claims the one slot there is; false, with the id of the one holding it, when taken.</summary>
    private bool Claim(PreparedRun run, out int busy)
    {
        busy = 0;
        if (!run.Exclusive)
            return true;
        lock (_gate)
        {
            if (_current is { } holder)
            {
                busy = holder.Run.Id;
                return false;
            }
            _current = run.Live;
            return true;
        }
    }

    private async Task SaveOrReleaseAsync(ApplianceDb db, PreparedRun run, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            Release(run);
            throw;
        }
    }

    private void Release(PreparedRun run)
    {
        if (run.Exclusive)
            lock (_gate)
                if (_current == run.Live)
                    _current = null;
    }

    private static Outcome? Refusal(PreflightScope scope, List<CheckGroup> all)
    {
        if (scope.CheckIds is { } asked && asked.Except(all.SelectMany(g => g.Checks).Select(c => c.Id)).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } unknown)
            return Outcome.Invalid("checks", $"No check has the id{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; " +
                                             "GET /api/v1/preflight/latest lists every check with its id.");
        if (!scope.IsAll && !all.Any(scope.Includes))
            return Outcome.NotFound($"No check matches '{scope.Name}'.");
        var duplicates = all.Where(scope.Includes).SelectMany(g => g.Checks).GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new InvalidOperationException($"Two checks share the id {string.Join(", ", duplicates)}: check ids must be unique.");
        return null;
    }
}
