using Microsoft.Extensions.Options;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Http;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Preflight.Http;

public sealed class ProxyCheckTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Proxy_RelaysAGetToTheSmsGateway_AndTheGatewayCheckGoesThroughIt()
    {
        using var proxy = new ForwardProxy();
        await using var gateway = await BasicAuthEndpoint.StartAsync();
        var inputs = EndpointChecksTests.Sms(gateway.Url.ToString(), security: Security(proxy.Url.ToString()));

        var outcome = (await RunAsync(inputs, "security"))["security.proxy"];
        var sms = await RunAsync(inputs, "sms:4");

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.StartsWith($"Proxy {proxy.Url.ToString().TrimEnd('/')} relayed GET {gateway.Url} (HTTP 401", outcome.Message, StringComparison.Ordinal);
        Assert.Contains($"via proxy http://127.0.0.1:{proxy.Port}", sms["smsProviders.gw.reachable"].Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Passed, sms["smsProviders.gw.auth"].Status);
        Assert.Equal(3, proxy.Relayed.Count(r => r == $"GET {gateway.Url} HTTP/1.1"));
    }

    [Fact]
    public async Task Proxy_TunnelsHttpsWithConnect_ThroughTheHttpsProxy()
    {
        using var plain = new ForwardProxy();
        using var tunnel = new ForwardProxy();
        await using var monitoring = await BasicAuthEndpoint.StartAsync(https: true);
        var document = new AnswerFileDocument
        {
            Monitoring = [new MonitoringEndpointDto { Id = 1, Alias = "coroot", Endpoint = monitoring.Url.ToString() }],
            Security = Security(plain.Url.ToString(), https: tunnel.Url.ToString()),
        };

        var outcome = (await RunAsync(new PreflightInputs(document, new Dictionary<string, string>(), [], false, "t"), "security"))["security.proxy"];

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Contains($"relayed a tunnel (CONNECT) to 127.0.0.1:{new Uri(monitoring.Url.ToString()).Port}", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("no SMS or monitoring URL goes through it, so relaying (and its login) was not tried", outcome.Message, StringComparison.Ordinal);
        Assert.Equal($"CONNECT 127.0.0.1:{monitoring.Url.Port} HTTP/1.1", Assert.Single(tunnel.Relayed));
        Assert.Empty(plain.Relayed);
    }

    [Fact]
    public async Task Proxy_Down_FailsAtHttpProxyField()
    {
        var port = SilentPort.Closed();
        var inputs = EndpointChecksTests.Sms("http://127.0.0.1:9/api/send", security: Security($"http://127.0.0.1:{port}"));

        var outcome = (await RunAsync(inputs, "security"))["security.proxy"];

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("httpProxy", outcome.Field);
        Assert.Contains($"Proxy 127.0.0.1:{port} refuses connections", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_ThatCannotReachTheTarget_FailsWithTheTunnelRefusal()
    {
        using var proxy = new ForwardProxy();
        var closed = SilentPort.Closed();
        var inputs = EndpointChecksTests.Sms($"https://127.0.0.1:{closed}/api/send", security: Security(proxy.Url.ToString()));

        var outcome = (await RunAsync(inputs, "security"))["security.proxy"];

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.StartsWith($"Proxy http://127.0.0.1:{proxy.Port} refused a tunnel (CONNECT) to 127.0.0.1:{closed} (HTTP 502): it cannot or may not reach",
            outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_WithEveryEndpointInNoProxy_OnlyChecksThatItAnswers()
    {
        using var proxy = new ForwardProxy();
        await using var gateway = await BasicAuthEndpoint.StartAsync();
        var inputs = EndpointChecksTests.Sms(gateway.Url.ToString(), security: Security(proxy.Url.ToString(), noProxy: ["127.0.0.0/8"]));

        var outcome = (await RunAsync(inputs, "security"))["security.proxy"];

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Equal($"Proxy http://127.0.0.1:{proxy.Port} answers HTTP (400); no SMS or monitoring URL goes through it, so relaying (and its login) was not tried.", outcome.Message);
        Assert.Empty(proxy.Relayed);
    }

    [Fact]
    public async Task AProxyThatAsksForALogin_RelaysWithTheProxyUserAndPassword_AndTheGatewayCheckGoesThroughIt()
    {
        using var proxy = new ForwardProxy(ProxyUser, ProxyPassword);
        await using var gateway = await BasicAuthEndpoint.StartAsync();
        var inputs = WithProxyPassword(EndpointChecksTests.Sms(gateway.Url.ToString(), security: Security(proxy.Url.ToString(), user: ProxyUser)), ProxyPassword);

        var outcome = (await RunAsync(inputs, "security"))["security.proxy"];
        var sms = await RunAsync(inputs, "sms:4");

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Contains($", logged in as {ProxyUser}), the first SMS or monitoring URL", outcome.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyPassword, outcome.Message, StringComparison.Ordinal);
        Assert.Equal((CheckStatus.Passed, CheckStatus.Passed), (sms["smsProviders.gw.reachable"].Status, sms["smsProviders.gw.auth"].Status));
        Assert.Equal(3, proxy.Relayed.Count(r => r == $"GET {gateway.Url} HTTP/1.1"));
        Assert.NotEmpty(proxy.Challenged);
    }

    [Fact]
    public async Task AProxyThatAsksForALogin_OpensAnHttpsTunnelWithTheProxyUserAndPassword()
    {
        using var proxy = new ForwardProxy(ProxyUser, ProxyPassword);
        await using var monitoring = await BasicAuthEndpoint.StartAsync(https: true);
        var inputs = WithProxyPassword(Monitoring(monitoring.Url, Security(proxy.Url.ToString(), user: ProxyUser)), ProxyPassword);

        var outcome = (await RunAsync(inputs, "security"))["security.proxy"];

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.StartsWith($"Proxy http://127.0.0.1:{proxy.Port} relayed a tunnel (CONNECT) to 127.0.0.1:{monitoring.Url.Port}", outcome.Message, StringComparison.Ordinal);
        Assert.Equal($"CONNECT 127.0.0.1:{monitoring.Url.Port} HTTP/1.1", Assert.Single(proxy.Relayed));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AWrongProxyPassword_Says407_AndPointsAtTheProxyPassword(bool https)
    {
        using var proxy = new ForwardProxy(ProxyUser, ProxyPassword);
        await using var endpoint = await BasicAuthEndpoint.StartAsync(https);
        var inputs = WithProxyPassword(Monitoring(endpoint.Url, Security(proxy.Url.ToString(), user: ProxyUser)), "not-the-proxy-password");

        var outcome = (await RunAsync(inputs, "security"))["security.proxy"];
        var monitoring = (await RunAsync(inputs, "monitoring:1"))["monitoring.coroot.reachable"];

        Assert.Equal((CheckStatus.Failed, "proxyPassword"), (outcome.Status, outcome.Field));
        Assert.Equal($"Proxy http://127.0.0.1:{proxy.Port} refused the login of proxy user {ProxyUser} (HTTP 407): "
            + "check the proxy user name and password (Security step, under the proxy URLs).", outcome.Message);
        Assert.Equal(CheckStatus.Failed, monitoring.Status);
        Assert.Contains("without a valid login (HTTP 407): check the proxy user name and password of the Security step", monitoring.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-proxy-password", outcome.Message + monitoring.Message, StringComparison.Ordinal);
        Assert.Empty(proxy.Relayed);
    }

    [Fact]
    public async Task AProxyThatAsksForALogin_WhenNoneIsSet_Says407_AndPointsAtTheProxyUserName()
    {
        using var proxy = new ForwardProxy(ProxyUser, ProxyPassword);
        await using var gateway = await BasicAuthEndpoint.StartAsync();

        var outcome = (await RunAsync(EndpointChecksTests.Sms(gateway.Url.ToString(), security: Security(proxy.Url.ToString())), "security"))["security.proxy"];

        Assert.Equal((CheckStatus.Failed, "proxyUsername"), (outcome.Status, outcome.Field));
        Assert.StartsWith($"Proxy http://127.0.0.1:{proxy.Port} asks for a login (HTTP 407): enter the proxy user name and password", outcome.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("user:password in the proxy URL", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProxyUserWithoutAStoredPassword_FailsAtTheProxyPassword_WithoutTryingIt()
    {
        using var proxy = new ForwardProxy(ProxyUser, ProxyPassword);
        await using var gateway = await BasicAuthEndpoint.StartAsync();

        var outcome = (await RunAsync(EndpointChecksTests.Sms(gateway.Url.ToString(), security: Security(proxy.Url.ToString(), user: ProxyUser)), "security"))["security.proxy"];

        Assert.Equal((CheckStatus.Failed, "proxyPassword"), (outcome.Status, outcome.Field));
        Assert.StartsWith($"No proxy password is stored for proxy user {ProxyUser}", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(proxy.Challenged);
    }

    [Fact]
    public void ALoginLeftInAProxyUrl_IsNeverShown() =>
        Assert.Equal("http://proxy.example.local:3128", ProxyRoute.Show(new Uri("http://squid:Pr0xy-Pass@proxy.example.local:3128")));

    [Theory]
    [InlineData("sms.example.local", ".example.local", true)]
    [InlineData("example.local", ".example.local", true)]
    [InlineData("sms.example.local", "example.local", true)]
    [InlineData("badexample.local", "example.local", false)]
    [InlineData("10.20.0.5", "10.0.0.0/8", true)]
    [InlineData("11.0.0.1", "10.0.0.0/8", false)]
    [InlineData("anything", "*", true)]
    public void NoProxy_MatchesHostsDomainsAndNetworks(string host, string entry, bool bypassed) =>
        Assert.Equal(bypassed, new ProxyRoute(Security("http://proxy:3128", noProxy: [entry])).Bypassed(host));

    private const string ProxyUser = "squid";
    private const string ProxyPassword = "Pr0xy-Pass-31c7";

    private static SecuritySettingsDto Security(string http, string? https = null, List<string>? noProxy = null, string? user = null) =>
        new() { ProxyEnabled = true, HttpProxy = http, HttpsProxy = https, NoProxy = noProxy ?? [], ProxyUsername = user };

    private static PreflightInputs Monitoring(Uri endpoint, SecuritySettingsDto security) => new(new AnswerFileDocument
    {
        Monitoring = [new MonitoringEndpointDto { Id = 1, Alias = "coroot", Endpoint = endpoint.ToString() }],
        Security = security,
    }, new Dictionary<string, string>(), [], false, "t");

    private static PreflightInputs WithProxyPassword(PreflightInputs inputs, string password) =>
        inputs with { Secrets = new Dictionary<string, string>(inputs.Secrets) { ["security.proxyPassword"] = password } };

    private async Task<IReadOnlyDictionary<string, CheckOutcome>> RunAsync(PreflightInputs inputs, string owner)
    {
        var checks = new EndpointChecks(Options.Create(new PreflightOptions { CheckTimeout = TimeSpan.FromSeconds(5) }));
        return (await GroupRun.RunAsync(checks.Groups(inputs).Single(g => g.Owner == owner))).Log(output).Outcomes;
    }
}
