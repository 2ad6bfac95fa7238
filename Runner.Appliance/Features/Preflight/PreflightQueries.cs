using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Preflight;

/// <summary>Reads stored preflights: the latest full one, one by id, the latest result of a check, and the gate it sets.</summary>
public sealed class PreflightQueries(IDbContextFactory<ApplianceDb> dbFactory, PreflightInputsBuilder inputs, PreflightRunner runner)
{
    /// <summary>The full preflight running now, else the latest finished one; null before the first.</summary>
    public async Task<PreflightReport?> LatestAsync(CancellationToken ct = default) => runner.Current ?? await LatestFinishedAsync(ct);

    /// <summary>The latest finished full preflight, <see cref="PreflightReport.Current"/> telling whether the configuration is still the one it checked.</summary>
    public async Task<PreflightReport?> LatestFinishedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.PreflightRuns.AsNoTracking().Include(r => r.Results)
            .Where(r => r.Scope == PreflightScope.AllName && r.FinishedAt != null).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        return run is null ? null : await ReportAsync(run, ct);
    }

    public async Task<PreflightReport?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.PreflightRuns.AsNoTracking().Include(r => r.Results).SingleOrDefaultAsync(r => r.Id == id, ct);
        return run is null ? null : await ReportAsync(run, ct);
    }

    /// <summary>The newest result of one check: from the preflight running now once the check has answered, else from the store.</summary>
    public async Task<PreflightCheckView?> LatestResultAsync(string checkId, CancellationToken ct = default)
    {
        if (runner.Current?.Checks.FirstOrDefault(c => c.Id == checkId) is { Status: not (CheckStatus.Pending or CheckStatus.Running) } live)
            return live;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.PreflightResults.AsNoTracking().Where(r => r.CheckId == checkId).OrderByDescending(r => r.RunId).FirstOrDefaultAsync(ct);
        return row is null ? null : PreflightCheckView.From(row);
    }

    /// <summary>
    /// What a failed or warning check found, keyed by the field it points to, as a wizard editor shows
    /// it under that field when opened from the preflight's link; null when the check has nothing to say.
    /// </summary>
    public async Task<(string Field, string Message)?> FindingAsync(string checkId, CancellationToken ct = default) =>
        await LatestResultAsync(checkId, ct) is { Field: { } field, Status: CheckStatus.Failed or CheckStatus.Warning } finding
            ? (field, $"Preflight: {finding.Message}")
            : null;

    /// <summary>What the preflight gate says now.</summary>
    public async Task<PreflightGateState> GateAsync(CancellationToken ct = default) => GateOf(await LatestFinishedAsync(ct));

    /// <summary>
    /// A deployment may start when the latest full preflight checked the configuration as it is now
    /// and none of its blocking checks failed.
    /// </summary>
    public static PreflightGateState GateOf(PreflightReport? latest)
    {
        if (latest is null)
            return new(false, "No preflight has run yet: run the preflight before a deployment.", null, []);
        var blocking = latest.Checks.Where(c => c.Blocks).ToList();
        if (!latest.Current)
            return new(false, $"The configuration changed since preflight {latest.Id} ({latest.StartedAt:yyyy-MM-dd HH:mm} UTC): run the preflight again.", latest.Id, blocking);
        if (blocking.Count > 0)
            return new(false, $"Preflight {latest.Id} has {blocking.Count} blocking {(blocking.Count == 1 ? "failure" : "failures")}: {string.Join("; ", blocking.Take(5).Select(b => b.Title))}{(blocking.Count > 5 ? "; …" : "")}.", latest.Id, blocking);
        var warnings = latest.Count(CheckStatus.Warning);
        return new(true, $"Preflight {latest.Id} passed{(warnings > 0 ? $" with {warnings} {(warnings == 1 ? "warning" : "warnings")}" : "")}.", latest.Id, []);
    }

    private async Task<PreflightReport> ReportAsync(PreflightRun run, CancellationToken ct) =>
        ToReport(run, run.Fingerprint == (await inputs.BuildAsync(ct)).Fingerprint);

    internal static PreflightReport ToReport(PreflightRun run, bool current) =>
        new(run.Id, run.Scope, run.StartedBy, run.StartedAt, run.FinishedAt, run.DurationMs, current,
            [.. run.Results.OrderBy(r => r.Order).Select(PreflightCheckView.From)]);
}
