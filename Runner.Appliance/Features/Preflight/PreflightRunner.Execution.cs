using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Preflight;

// One preflight once prepared: its groups in parallel (bounded), what they read handed over, the whole stored at the end.
public sealed partial class PreflightRunner
{
    private async Task<PreflightReport> ExecuteAsync(PreparedRun run, CancellationToken ct)
    {
        try
        {
            await ExecuteGroupsAsync(run, ct);
            return await StoreAsync(run.Live, ct);
        }
        finally
        {
            Release(run);
            notifier.Publish(new PreflightFinished(run.Live.Run.Id));
            await run.Services.DisposeAsync();
        }
    }

    private async Task ExecuteGroupsAsync(PreparedRun run, CancellationToken ct)
    {
        var (live, groups) = (run.Live, run.Groups);
        var watch = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.MaxParallel));
        await Task.WhenAll(groups.Select(async group =>
        {
            await slots.WaitAsync(ct);
            try
            {
                foreach (var check in group.Checks)
                    live.Set(PreflightCheckView.Pending(check, CheckStatus.Running));
                await new GroupExecution(group, run.Masker, result => live.Set(PreflightCheckView.From(result))).RunAsync(ct);
                if (group is IReadsCapacity { Reading: { } reading })
                    await RecordAsync(run, reading, ct);
            }
            finally
            {
                slots.Release();
            }
        }));
        live.Run.DurationMs = watch.ElapsedMilliseconds;
        logger.LogInformation("Preflight {Id} ({Scope}): {Checks} checks in {Groups} groups, {Ms} ms", live.Run.Id, live.Run.Scope, live.Checks.Count, groups.Count, live.Run.DurationMs);
    }

    /// <summary>The architecture feature keeps what a group read of a hypervisor's capacity, for the recap.</summary>
    private async Task RecordAsync(PreparedRun run, CapacityReading reading, CancellationToken ct)
    {
        try
        {
            await run.Services.ServiceProvider.GetRequiredService<HypervisorCapacityService>().RecordAsync(reading, ct);
        }
        catch (DbUpdateException e)
        {
            // The checks have answered already; the recap keeps its earlier reading.
            logger.LogWarning(e, "Preflight {Id}: the capacity of {Hypervisor} was not stored", run.Live.Run.Id, reading.Hypervisor);
        }
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

    /// <summary>A preflight ready to run: its groups, the scope they were made in (they may hold its services), its masker.</summary>
    private sealed record PreparedRun(AsyncServiceScope Services, LiveRun Live, List<CheckGroup> Groups, SecretMasker Masker, bool Exclusive);
}
