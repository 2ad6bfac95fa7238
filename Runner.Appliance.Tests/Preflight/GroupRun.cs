using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Preflight;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Preflight;

/// <summary>
/// Runs one check group the way the runner does: inside its time bound, collecting each outcome,
/// and failing what is still unreported when the bound ends. Records how long it took.
/// </summary>
public sealed class GroupRun
{
    // In report order, as the page shows them.
    private readonly OrderedDictionary<string, CheckOutcome> _outcomes = new();

    private GroupRun(CheckGroup group) => Group = group;

    public CheckGroup Group { get; }

    public TimeSpan Elapsed { get; private set; }

    public CheckOutcome this[string id]
    {
        get
        {
            lock (_outcomes)
                return _outcomes.TryGetValue(id, out var outcome)
                    ? outcome : throw new KeyNotFoundException($"{id} not reported; reported: {string.Join(", ", _outcomes.Keys)}");
        }
    }

    public IReadOnlyDictionary<string, CheckOutcome> Outcomes => _outcomes;

    public static async Task<GroupRun> RunAsync(CheckGroup group)
    {
        var run = new GroupRun(group);
        var report = new CheckReport((check, outcome) => { lock (run._outcomes) run._outcomes[check.Id] = outcome; });
        using var bound = new CancellationTokenSource(group.Timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            await group.RunAsync(report, bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            // The runner's bound ended the group: what is unreported fails below.
        }
        run.Elapsed = watch.Elapsed;
        foreach (var check in group.Checks)
            report.Report(check, CheckOutcome.Failed($"no answer within {group.Timeout.TotalSeconds} s"));
        return run;
    }

    public static IOptions<PreflightOptions> Bound(double seconds = 5) =>
        Options.Create(new PreflightOptions { CheckTimeout = TimeSpan.FromSeconds(seconds) });

    public static PreflightInputs Inputs(AnswerFileDocument document, Dictionary<string, string> secrets) =>
        new(document, secrets, [], false, "test");

    /// <summary>A loopback port that accepts TCP and never says a word: a hung server, or a proxy in the way.</summary>
    public static TcpListener SilentServer()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    public static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    public GroupRun Log(ITestOutputHelper output)
    {
        output.WriteLine($"{Group.Owner}: {Elapsed.TotalMilliseconds:0} ms (bound {Group.Timeout.TotalSeconds} s)\n"
            + string.Join("\n", Group.Checks.Select(c => $"  {c.Id}: {this[c.Id].Status} {this[c.Id].Message} [{this[c.Id].Field}]")));
        return this;
    }
}
