using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Mail;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;
using SmtpServer = Runner.Appliance.Tests.Peers.SmtpServer;

namespace Runner.Appliance.Tests.Preflight.Mail;

public sealed class SmtpChecksTests(SmtpServer smtp, ITestOutputHelper output) : IClassFixture<SmtpServer>
{
    private static SmtpServerDto Relay(int port, SmtpTlsMode mode = SmtpTlsMode.StartTls, string? user = SmtpServer.User) => new()
    {
        Id = 2, Alias = "Relay", Host = "127.0.0.1", Port = port, TlsMode = mode, Username = user, FromAddress = "runner@example.org",
    };

    private async Task<GroupRun> RunAsync(SmtpServerDto dto, string? password = SmtpServer.Password, bool trustCa = true, string? recipient = null)
    {
        var secrets = password is null ? new Dictionary<string, string>() : new() { ["smtp[0].password"] = password };
        // The test CA reaches the checks as a technician gives it: the site CA certificates of the security step.
        var security = new SecuritySettingsDto { TrustedCaPem = trustCa ? await File.ReadAllTextAsync(smtp.Ca.CaFile) : null };
        var inputs = GroupRun.Inputs(new AnswerFileDocument { Smtp = [dto], Security = security }, secrets) with { TestRecipient = recipient };
        var group = Assert.Single(new SmtpChecks(GroupRun.Bound()).Groups(inputs));
        var run = await GroupRun.RunAsync(group);
        run.Log(output);
        return run;
    }

    [Fact]
    public async Task StartTlsWithAuth_AgainstRealServer_PassesWithoutSendingMail()
    {
        var before = smtp.Received.Count;

        var run = await RunAsync(Relay(smtp.Port));

        Assert.Equal("smtp:2", run.Group.Owner);
        Assert.Equal(["smtp.relay.connect", "smtp.relay.tls", "smtp.relay.auth"], run.Group.Checks.Select(c => c.Id));
        Assert.All(run.Outcomes.Values, o => Assert.Equal(CheckStatus.Passed, o.Status));
        Assert.Contains("Tls1", run["smtp.relay.tls"].Message);
        Assert.Contains("CN=Runner Test Mail CA", run["smtp.relay.tls"].Detail);
        Assert.Equal(before, smtp.Received.Count);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(2), $"took {run.Elapsed}");
    }

    [Fact]
    public async Task ImplicitTls_AgainstRealServer_Passes()
    {
        var run = await RunAsync(Relay(smtp.TlsPort, SmtpTlsMode.Tls));

        Assert.All(run.Outcomes.Values, o => Assert.Equal(CheckStatus.Passed, o.Status));
    }

    [Fact]
    public async Task Auth_WithWrongPassword_FailsAtPasswordWithoutTheSecret()
    {
        var run = await RunAsync(Relay(smtp.Port), password: "wrong-mail-secret");

        var auth = run["smtp.relay.auth"];
        Assert.Equal(CheckStatus.Failed, auth.Status);
        Assert.Equal("password", auth.Field);
        Assert.Contains("login refused for user mailer", auth.Message);
        Assert.DoesNotContain("wrong-mail-secret", auth.Message);
    }

    [Fact]
    public async Task Auth_WithoutTls_FailsAtUsernameBecauseTheServerOffersNoAuthInClear()
    {
        var run = await RunAsync(Relay(smtp.Port, SmtpTlsMode.None));

        Assert.Equal(CheckStatus.Skipped, run["smtp.relay.tls"].Status);
        Assert.Equal(CheckStatus.Failed, run["smtp.relay.auth"].Status);
        Assert.Equal("username", run["smtp.relay.auth"].Field);
        Assert.Contains("offers no AUTH without TLS", run["smtp.relay.auth"].Message);
    }

    [Fact]
    public async Task Certificate_FromUnknownCa_FailsAtHostAsNotTrusted()
    {
        var run = await RunAsync(Relay(smtp.Port), trustCa: false);

        var tls = run["smtp.relay.tls"];
        Assert.Equal(CheckStatus.Failed, tls.Status);
        Assert.Equal("host", tls.Field);
        Assert.Contains("the server's certificate is not trusted", tls.Message);
        Assert.Equal(CheckStatus.Skipped, run["smtp.relay.auth"].Status);
    }

    [Fact]
    public async Task ImplicitTls_OnTheStartTlsPort_FailsAtTlsMode()
    {
        var run = await RunAsync(Relay(smtp.Port, SmtpTlsMode.Tls));

        Assert.Equal(CheckStatus.Failed, run["smtp.relay.tls"].Status);
        Assert.Equal("tlsMode", run["smtp.relay.tls"].Field);
        Assert.True(run.Elapsed < run.Group.Timeout, $"took {run.Elapsed}");
    }

    [Fact]
    public async Task Server_Down_FailsAtHostAtOnce()
    {
        var run = await RunAsync(Relay(PeerProcess.FreePort()));

        Assert.Equal(CheckStatus.Failed, run["smtp.relay.connect"].Status);
        Assert.Equal("host", run["smtp.relay.connect"].Field);
        Assert.Contains("connection refused", run["smtp.relay.connect"].Message);
        Assert.Equal(CheckStatus.Skipped, run["smtp.relay.auth"].Status);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(1), $"took {run.Elapsed}");
    }

    [Fact]
    public async Task Server_ThatNeverAnswers_FailsAtHostWithinTheBound()
    {
        using var silent = GroupRun.SilentServer();

        var run = await RunAsync(Relay(GroupRun.PortOf(silent)));

        var connect = run["smtp.relay.connect"];
        Assert.Equal(CheckStatus.Failed, connect.Status);
        Assert.Equal("host", connect.Field);
        Assert.Contains("No answer from Relay", connect.Message);
        Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(3), run.Group.Timeout);
    }

    [Fact]
    public async Task TestMail_WithRecipient_IsReceivedByTheServer()
    {
        var recipient = $"tech-{Guid.NewGuid():N}@example.org";

        var run = await RunAsync(Relay(smtp.Port), recipient: recipient);

        Assert.Equal("smtp.relay.send", run.Group.Checks[^1].Id);
        Assert.Equal(CheckStatus.Passed, run["smtp.relay.send"].Status);
        Assert.Contains("queued as test-", run["smtp.relay.send"].Message);
        var mail = Assert.Single(smtp.Received, m => m.Contains($"X-Envelope-To: {recipient}", StringComparison.Ordinal));
        Assert.Contains("X-Envelope-From: runner@example.org", mail);
        Assert.Contains("Subject: Runner Appliance: test mail through Relay", mail);
    }

    [Fact]
    public void FullPreflight_NeverDefinesTheSendCheck()
    {
        var inputs = GroupRun.Inputs(new AnswerFileDocument { Smtp = [Relay(smtp.Port)] }, []);

        var group = Assert.Single(new SmtpChecks(GroupRun.Bound()).Groups(inputs));

        Assert.DoesNotContain(group.Checks, c => c.Id.EndsWith(".send", StringComparison.Ordinal));
    }
}
