using Runner.Appliance.Security;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Runner.Appliance.Features.Preflight;

/// <summary>
/// Runs one check group inside its time bound and turns whatever happens (an answer, silence, an
/// exception) into one result per declared check, masked, each pushed out as soon as it is known.
/// </summary>
internal sealed class GroupExecution(CheckGroup group, SecretMasker masker, Action<CheckResult> publish)
{
    private readonly ConcurrentDictionary<string, CheckResult> _results = new();
    private readonly Stopwatch _clock = new();
    private long _lastReportMs;

    public IReadOnlyDictionary<string, CheckResult> Results => _results;

    public async Task RunAsync(CancellationToken ct)
    {
        _clock.Start();
        var report = new CheckReport(Record);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(group.Timeout);
        try
        {
            await group.RunAsync(report, bound.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var seconds = group.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            var silence = CheckOutcome.Failed($"No answer within {seconds} s (the check's time bound): the system is down, filtered by a firewall, or too slow.");
            // One check at a time: the one under way waited in vain, the rest were never reached. Side by side: all waited.
            if (group.Current is { } current && !report.IsReported(current))
                report.Report(current, silence);
            else
                foreach (var check in group.Checks)
                    report.Report(check, silence);
        }
        catch (OperationCanceledException)
        {
            report.SkipRest(group.Checks, "The preflight was cancelled.");
            throw;
        }
#pragma warning disable CA1031 // a check's bug becomes that check's failure, never the preflight's
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (group.Running(report) is { } running)
                report.Report(running, CheckOutcome.Failed($"The check stopped: {e.Message}"));
        }
        report.SkipRest(group.Checks, "Not reached: an earlier check of the same system failed.");
    }

    private void Record(CheckDefinition check, CheckOutcome outcome)
    {
        var now = _clock.ElapsedMilliseconds;
        var duration = now - Interlocked.Exchange(ref _lastReportMs, now);
        // A warning-level check never blocks: its failure is shown as a warning.
        var status = outcome.Status == CheckStatus.Failed && check.Severity == CheckSeverity.Warning ? CheckStatus.Warning : outcome.Status;
        var result = new CheckResult(check, status, masker.Apply(outcome.Message), outcome.Field,
            outcome.Detail is null ? null : masker.Apply(outcome.Detail), duration);
        _results[check.Id] = result;
        publish(result);
    }
}
