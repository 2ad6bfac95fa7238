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
        Assert.Contains("no SMS or monitoring URL goes through it, so relaying was not tried", outcome.Message, StringComparison.Ordinal);
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
        Assert.Equal($"Proxy http://127.0.0.1:{proxy.Port} answers HTTP (400); no SMS or monitoring URL goes through it, so relaying was not tried.", outcome.Message);
        Assert.Empty(proxy.Relayed);
    }

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

    private static SecuritySettingsDto Security(string http, string? https = null, List<string>? noProxy = null) =>
        new() { ProxyEnabled = true, HttpProxy = http, HttpsProxy = https, NoProxy = noProxy ?? [] };

    private async Task<IReadOnlyDictionary<string, CheckOutcome>> RunAsync(PreflightInputs inputs, string owner)
    {
        var checks = new EndpointChecks(Options.Create(new PreflightOptions { CheckTimeout = TimeSpan.FromSeconds(5) }));
        return (await GroupRun.RunAsync(checks.Groups(inputs).Single(g => g.Owner == owner))).Log(output).Outcomes;
    }
}
