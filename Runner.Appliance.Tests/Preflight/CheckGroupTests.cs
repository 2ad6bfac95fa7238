using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Security;

namespace Runner.Appliance.Tests.Preflight;

/// <summary>The mechanics every group shares: the check under way, the answer bound, failing one check and skipping the rest.</summary>
public sealed class CheckGroupTests
{
    [Fact]
    public async Task SilenceWithinTheAnswerBound_FailsTheCheckUnderWay_AndSkipsTheRest()
    {
        var group = new Conversation(TimeSpan.FromSeconds(1), hangAt: 1);

        var results = await RunAsync(group);

        Assert.Equal(CheckStatus.Passed, results["t.connect"].Status);
        Assert.Equal((CheckStatus.Failed, "silent at t.login"), (results["t.login"].Status, results["t.login"].Message));
        Assert.Equal((CheckStatus.Skipped, "the system did not answer"), (results["t.read"].Status, results["t.read"].Message));
    }

    [Fact]
    public async Task TheRunnersBound_FailsOnlyTheCheckUnderWay_TheRestWereNotReached()
    {
        var group = new Conversation(TimeSpan.FromSeconds(0.5), hangAt: 1, withinAnswer: false);

        var results = await RunAsync(group);

        Assert.Equal(CheckStatus.Passed, results["t.connect"].Status);
        Assert.Equal(CheckStatus.Failed, results["t.login"].Status);
        Assert.StartsWith("No answer within 0.5 s (the check's time bound)", results["t.login"].Message, StringComparison.Ordinal);
        Assert.Equal((CheckStatus.Skipped, "Not reached: an earlier check of the same system failed."), (results["t.read"].Status, results["t.read"].Message));
    }

    [Fact]
    public async Task AnException_IsTheFailureOfTheCheckUnderWay()
    {
        var group = new Conversation(TimeSpan.FromSeconds(1), hangAt: 2, throwInstead: true);

        var results = await RunAsync(group);

        Assert.Equal(CheckStatus.Passed, results["t.login"].Status);
        Assert.Equal((CheckStatus.Failed, "The check stopped: broken at t.read"), (results["t.read"].Status, results["t.read"].Message));
    }

    [Fact]
    public void TheAnswerBound_IsFourFifthsOfTheGroupsBound_WhichComesFromTheCheckTimeout()
    {
        var options = new PreflightOptions { CheckTimeout = TimeSpan.FromSeconds(10) };

        Assert.Equal(TimeSpan.FromSeconds(8), new Conversation(options.CheckTimeout, hangAt: 0).AnswerBound);
        Assert.Equal((TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(4)), (options.SideBySideTimeout, options.ProbeTimeout));
    }

    private static async Task<Dictionary<string, CheckResult>> RunAsync(CheckGroup group)
    {
        var execution = new GroupExecution(group, new SecretMasker([]), _ => { });
        await execution.RunAsync(CancellationToken.None);
        return execution.Results.ToDictionary();
    }

    /// <summary>Three checks in order; the one at <c>hangAt</c> never answers (or throws).</summary>
    private sealed class Conversation : CheckGroup
    {
        private readonly int _hangAt;
        private readonly bool _withinAnswer, _throw;

        public Conversation(TimeSpan timeout, int hangAt, bool withinAnswer = true, bool throwInstead = false) : base("t", timeout)
        {
            (_hangAt, _withinAnswer, _throw) = (hangAt, withinAnswer, throwInstead);
            foreach (var aspect in new[] { "connect", "login", "read" })
                Define($"t.{aspect}", "Test", aspect, CheckSeverity.Blocking, null);
        }

        public TimeSpan AnswerBound => Answer;

        public override Task RunAsync(CheckReport report, CancellationToken ct) => _withinAnswer
            ? WithinAnswerAsync(report, answer => ConverseAsync(report, answer), () => CheckOutcome.Failed($"silent at {Current!.Id}"), "the system did not answer", ct)
            : ConverseAsync(report, ct);

        private async Task ConverseAsync(CheckReport report, CancellationToken ct)
        {
            for (var i = 0; i < Checks.Count; i++)
            {
                Begin(Checks[i]);
                if (i == _hangAt)
                {
                    if (_throw)
                        throw new InvalidOperationException($"broken at {Checks[i].Id}");
                    await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, ct);
                }
                report.Report(Checks[i], CheckOutcome.Passed("ok"));
            }
        }
    }
}
