using System.Diagnostics;
using Runner.Appliance.Features.Preflight;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Preflight.Http;

/// <summary>Runs a check group the way the runner does: inside its bound; a cancellation leaves the unreported checks out.</summary>
internal static class GroupRun
{
    public static async Task<IReadOnlyDictionary<string, CheckOutcome>> RunAsync(CheckGroup group, ITestOutputHelper output)
    {
        var outcomes = new OrderedDictionary<string, CheckOutcome>();
        var report = new CheckReport((check, outcome) => { lock (outcomes) outcomes.Add(check.Id, outcome); });
        using var bound = new CancellationTokenSource(group.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await group.RunAsync(report, bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            // The runner turns this into "no answer within …" for the unreported checks.
        }
        output.WriteLine($"{group.Owner}: {clock.ElapsedMilliseconds} ms");
        foreach (var (id, outcome) in outcomes)
            output.WriteLine($"{id} {outcome.Status} [{outcome.Field}] {outcome.Message}");
        return outcomes;
    }
}
