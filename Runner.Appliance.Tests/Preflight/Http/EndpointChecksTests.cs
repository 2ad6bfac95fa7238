using System.Diagnostics;
using Microsoft.Extensions.Options;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Http;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Preflight.Http;

public sealed class EndpointChecksTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sms_GoodCredentials_PassReachableAndAuth()
    {
        await using var gateway = await BasicAuthEndpoint.StartAsync();
        var outcomes = await RunAsync(Sms(gateway.Url.ToString()), "sms:4");

        Assert.Equal(CheckStatus.Passed, outcomes["smsProviders.gw.reachable"].Status);
        Assert.Contains($"{gateway.Url} answers HTTP 401", outcomes["smsProviders.gw.reachable"].Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Passed, outcomes["smsProviders.gw.auth"].Status);
        Assert.Equal("The endpoint accepted the credentials of user gateway (HTTP 200; HTTP 401 without them).", outcomes["smsProviders.gw.auth"].Message);
        Assert.Equal(2, gateway.Requests);
    }

    [Fact]
    public async Task Sms_WrongSecret_FailsAuthAtSecretField()
    {
        await using var gateway = await BasicAuthEndpoint.StartAsync();
        var (group, outcomes) = await RunGroupAsync(Sms(gateway.Url.ToString(), secret: "not-the-secret"), "sms:4");

        var auth = outcomes["smsProviders.gw.auth"];
        Assert.Equal(CheckStatus.Failed, auth.Status);
        Assert.StartsWith("The endpoint refused the credentials of user gateway (HTTP 401)", auth.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", auth.Message, StringComparison.Ordinal);
        var check = group.Checks.Single(c => c.Id == "smsProviders.gw.auth");
        Assert.Equal(("secret", CheckSeverity.Blocking), (check.Target!.Field, check.Severity));
    }

    [Fact]
    public async Task Sms_ClosedPort_FailsReachableAndSkipsAuth()
    {
        var port = SilentPort.Closed();
        var outcomes = await RunAsync(Sms($"http://127.0.0.1:{port}/api/send"), "sms:4");

        Assert.Equal(CheckStatus.Failed, outcomes["smsProviders.gw.reachable"].Status);
        Assert.StartsWith($"127.0.0.1:{port} (127.0.0.1) refuses connections", outcomes["smsProviders.gw.reachable"].Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Skipped, outcomes["smsProviders.gw.auth"].Status);
    }

    [Fact]
    public async Task Sms_SelfSignedHttps_FailsReachable_AsNotTrustedBySystemStore()
    {
        await using var gateway = await BasicAuthEndpoint.StartAsync(https: true);
        var outcomes = await RunAsync(Sms(gateway.Url.ToString()), "sms:4");

        var reachable = outcomes["smsProviders.gw.reachable"];
        Assert.Equal(CheckStatus.Failed, reachable.Status);
        Assert.Contains("its certificate 'CN=sms.fake.local' is not trusted by this appliance's system store nor the site CAs (RemoteCertificateChainErrors)",
            reachable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sms_EndpointThatAsksNoCredentials_WarnsThatTheyAreUnverified()
    {
        await using var gateway = await BasicAuthEndpoint.StartAsync(requireAuth: false);
        var outcomes = await RunAsync(Sms(gateway.Url.ToString()), "sms:4");

        Assert.Equal(CheckStatus.Passed, outcomes["smsProviders.gw.reachable"].Status);
        Assert.Equal(CheckStatus.Warning, outcomes["smsProviders.gw.auth"].Status);
        Assert.Contains("answers GET without asking for credentials (HTTP 200)", outcomes["smsProviders.gw.auth"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sms_WithoutStoredSecret_FailsAuth()
    {
        await using var gateway = await BasicAuthEndpoint.StartAsync();
        var outcomes = await RunAsync(Sms(gateway.Url.ToString(), secret: null), "sms:4");

        Assert.Equal(CheckStatus.Failed, outcomes["smsProviders.gw.auth"].Status);
        Assert.StartsWith("No secret is stored for user gateway", outcomes["smsProviders.gw.auth"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitoring_WithoutUser_ChecksOnlyReachability_AsAWarning()
    {
        await using var endpoint = await BasicAuthEndpoint.StartAsync(requireAuth: false);
        var document = new AnswerFileDocument { Monitoring = [new MonitoringEndpointDto { Id = 2, Alias = "Coroot", Endpoint = endpoint.Url.ToString() }] };
        var (group, outcomes) = await RunGroupAsync(new PreflightInputs(document, new Dictionary<string, string>(), [], false, "t"), "monitoring:2");

        var check = Assert.Single(group.Checks);
        Assert.Equal(("monitoring.coroot.reachable", CheckSeverity.Warning, "endpoint"), (check.Id, check.Severity, check.Target!.Field));
        Assert.Equal(CheckStatus.Passed, outcomes["monitoring.coroot.reachable"].Status);
    }

    [Fact]
    public async Task Monitoring_WrongPassword_FailsAuthAtPasswordField()
    {
        await using var endpoint = await BasicAuthEndpoint.StartAsync();
        var document = new AnswerFileDocument
        {
            Monitoring = [new MonitoringEndpointDto { Id = 2, Alias = "prom", Endpoint = endpoint.Url.ToString(), Username = BasicAuthEndpoint.User }],
        };
        var secrets = new Dictionary<string, string> { ["monitoring[0].password"] = "nope" };
        var (group, outcomes) = await RunGroupAsync(new PreflightInputs(document, secrets, [], false, "t"), "monitoring:2");

        Assert.Equal(CheckStatus.Failed, outcomes["monitoring.prom.auth"].Status);
        Assert.Equal("password", group.Checks.Single(c => c.Id == "monitoring.prom.auth").Target!.Field);
    }

    [Fact]
    public async Task Monitoring_TokenWithoutUser_IsSentAsABearerToken_AndAccepted()
    {
        await using var endpoint = await BasicAuthEndpoint.StartAsync();
        var (group, outcomes) = await RunGroupAsync(TokenMonitoring(endpoint.Url, BasicAuthEndpoint.Token), "monitoring:2");

        var auth = outcomes["monitoring.prom.auth"];
        Assert.Equal(CheckStatus.Passed, auth.Status);
        Assert.Equal("The endpoint accepted the bearer token (HTTP 200; HTTP 401 without it).", auth.Message);
        Assert.Equal("prom: accepts its bearer token (the password, no user name)", group.Checks.Single(c => c.Id == "monitoring.prom.auth").Title);
        Assert.Equal(["", "Bearer"], endpoint.Schemes);
    }

    [Fact]
    public async Task Monitoring_WrongToken_FailsAuthAtPasswordField_WithoutShowingIt()
    {
        await using var endpoint = await BasicAuthEndpoint.StartAsync();
        var (group, outcomes) = await RunGroupAsync(TokenMonitoring(endpoint.Url, "not-the-token"), "monitoring:2");

        var auth = outcomes["monitoring.prom.auth"];
        Assert.Equal(CheckStatus.Failed, auth.Status);
        Assert.StartsWith("The endpoint refused the bearer token (HTTP 401): check the token in the password field", auth.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-token", auth.Message, StringComparison.Ordinal);
        Assert.Equal("password", group.Checks.Single(c => c.Id == "monitoring.prom.auth").Target!.Field);
        Assert.Equal(["", "Bearer"], endpoint.Schemes);
    }

    [Fact]
    public async Task Monitoring_TokenWithALineBreak_IsReportedNotSent()
    {
        await using var endpoint = await BasicAuthEndpoint.StartAsync();
        var outcomes = await RunAsync(TokenMonitoring(endpoint.Url, "two\nlines"), "monitoring:2");

        Assert.Equal(CheckStatus.Failed, outcomes["monitoring.prom.auth"].Status);
        Assert.Contains("which a bearer token cannot carry", outcomes["monitoring.prom.auth"].Message, StringComparison.Ordinal);
        Assert.Equal(1, endpoint.Requests);
    }

    private static PreflightInputs TokenMonitoring(Uri endpoint, string token) => new(
        new AnswerFileDocument { Monitoring = [new MonitoringEndpointDto { Id = 2, Alias = "prom", Endpoint = endpoint.ToString() }] },
        new Dictionary<string, string> { ["monitoring[0].password"] = token }, [], false, "t");

    [Fact]
    public async Task Sms_SilentPort_GroupEndsWithinItsBound()
    {
        using var silent = new SilentPort();
        var clock = Stopwatch.StartNew();
        var outcomes = await RunAsync(Sms($"http://127.0.0.1:{silent.Port}/api/send"), "sms:4", TimeSpan.FromSeconds(1.5));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed}");
        Assert.DoesNotContain(outcomes.Values, o => o.Status == CheckStatus.Passed);
    }

    internal static PreflightInputs Sms(string url, string? secret = BasicAuthEndpoint.Password, SecuritySettingsDto? security = null)
    {
        var document = new AnswerFileDocument
        {
            SmsProviders = [new SmsProviderDto { Id = 4, Alias = "GW", Url = url, Username = BasicAuthEndpoint.User, Sender = "Platform" }],
            Security = security,
        };
        var secrets = secret is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["smsProviders[0].secret"] = secret };
        return new PreflightInputs(document, secrets, [], false, "test");
    }

    private async Task<IReadOnlyDictionary<string, CheckOutcome>> RunAsync(PreflightInputs inputs, string owner, TimeSpan? bound = null) =>
        (await RunGroupAsync(inputs, owner, bound)).Outcomes;

    private async Task<(CheckGroup Group, IReadOnlyDictionary<string, CheckOutcome> Outcomes)> RunGroupAsync(PreflightInputs inputs, string owner, TimeSpan? bound = null)
    {
        var checks = new EndpointChecks(Options.Create(new PreflightOptions { CheckTimeout = bound ?? TimeSpan.FromSeconds(5) }));
        var group = checks.Groups(inputs).Single(g => g.Owner == owner);
        return (group, (await GroupRun.RunAsync(group)).Log(output).Outcomes);
    }
}
