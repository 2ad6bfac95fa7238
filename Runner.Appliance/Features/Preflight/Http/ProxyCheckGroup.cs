using System.Net;
using Runner.Appliance.Integrations.Http;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Features.Preflight.Http;

/// <summary>
/// The proxy of the security step answers and relays. Each configured proxy relays a GET to the
/// first SMS or monitoring URL that goes through it (for https that is an HTTP CONNECT tunnel),
/// logging in with the proxy user and password when it asks (407); with no such URL, only its own
/// HTTP answer is checked, and the message says so.
/// </summary>
public sealed class ProxyCheckGroup : CheckGroup
{
    private readonly ProxyRoute _route;
    private readonly IReadOnlyList<Uri> _targets;
    private readonly CheckDefinition _proxy;

    public ProxyCheckGroup(ProxyRoute route, IEnumerable<Uri> targets, TimeSpan timeout) : base("security", timeout)
    {
        _route = route;
        _targets = [.. targets];
        // Blocking: with the proxy on, package installs and image pulls of every role go through it.
        _proxy = Define("security.proxy", "Proxy", "The proxy answers and relays requests", CheckSeverity.Blocking,
            FieldRef.ForStep("wizard/security", "Proxy", "httpProxy"));
    }

    private sealed record Finding(bool Ok, string Message, string? Field = null);

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        if (_route.PasswordMissing)
        {
            report.Report(_proxy, CheckOutcome.Failed($"No proxy password is stored for proxy user {_route.Username}: enter it "
                + "(an answer file imported without its passphrase carries none), or clear the user name for a proxy that asks for no login.", "proxyPassword"));
            return;
        }
        var proxies = new List<(Uri Proxy, string Field)> { (_route.HttpProxy!, "httpProxy") };
        if (_route.HttpsProxy is { } https && ProxyRoute.Show(https) != ProxyRoute.Show(_route.HttpProxy!))
            proxies.Add((https, "httpsProxy"));
        var passed = new List<string>();
        foreach (var (proxy, field) in proxies)
        {
            var target = _targets.FirstOrDefault(t => _route.For(t) is { } p && ProxyRoute.Show(p) == ProxyRoute.Show(proxy));
            var finding = target is null ? await AnswersAsync(proxy, ct) : await RelaysAsync(proxy, target, ct);
            if (!finding.Ok)
            {
                report.Report(_proxy, CheckOutcome.Failed(finding.Message, finding.Field ?? field));
                return;
            }
            passed.Add(finding.Message);
        }
        report.Report(_proxy, CheckOutcome.Passed(string.Join(" ", passed)));
    }

    private async Task<Finding> RelaysAsync(Uri proxy, Uri target, CancellationToken ct)
    {
        var shown = ProxyRoute.Show(proxy);
        var what = target.Scheme == Uri.UriSchemeHttps ? $"a tunnel (CONNECT) to {target.Authority}" : $"GET {target.GetLeftPart(UriPartial.Path)}";
        // The relay is what is tested here: the target's certificate is the endpoint check's business.
        using var probe = new HttpProbe(Timeout, ServerTrust.AcceptAny(), _route.Create(proxy));
        try
        {
            var answer = await probe.GetAsync(target, null, ct);
            var login = _route.Username is null ? "" : $", logged in as {_route.Username}";
            return answer.Status switch
            {
                HttpStatusCode.ProxyAuthenticationRequired => LoginRefused(shown),
                HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout when target.Scheme == Uri.UriSchemeHttp =>
                    new(false, $"Proxy {shown} answered {what} with HTTP {answer.Code}: it cannot reach {target.Authority} (the endpoint's own check says whether it is up)."),
                _ => new(true, $"Proxy {shown} relayed {what} (HTTP {answer.Code} in {answer.Milliseconds} ms{login}), the first SMS or monitoring URL that goes through it."),
            };
        }
        catch (HttpRequestException e) when (HttpFailure.TunnelStatus(e) is { } code)
        {
            // The code says why: 407 a login, 502 unreachable, 403 not allowed.
            return code == (int)HttpStatusCode.ProxyAuthenticationRequired
                ? LoginRefused(shown)
                : new(false, $"Proxy {shown} refused {what} (HTTP {code}): it cannot or may not reach {target.Authority}; the endpoint's own check says whether it is up.");
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ProxyTunnelError)
        {
            return new(false, $"Proxy {shown} refused {what} ({e.Message}): it cannot or may not reach {target.Authority}; the endpoint's own check says whether it is up.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested && HttpFailure.Describe(e, $"Proxy {proxy.Authority}", Timeout) is { } message)
        {
            return new(false, message);
        }
    }

    /// <summary>A 407 points at the field to fix: the user name when none is set, else the password (or the user name it goes with).</summary>
    private Finding LoginRefused(string shown) => _route.Username is { } user
        ? new(false, $"Proxy {shown} refused the login of proxy user {user} (HTTP 407): check the proxy user name and password (Security step, under the proxy URLs).", "proxyPassword")
        : new(false, $"Proxy {shown} asks for a login (HTTP 407): enter the proxy user name and password (Security step, under the proxy URLs; "
            + "not in the URL).", "proxyUsername");

    private async Task<Finding> AnswersAsync(Uri proxy, CancellationToken ct)
    {
        var shown = ProxyRoute.Show(proxy);
        if (await HttpProbe.ConnectAsync(proxy.IdnHost, proxy.Port, ct) is { } unreachable)
            return new(false, $"Proxy {shown}: {unreachable}");
        using var probe = new HttpProbe(Timeout, ServerTrust.AcceptAny());
        try
        {
            // A request in origin form is not a proxy request: any HTTP answer shows a live HTTP server.
            var answer = await probe.GetAsync(new Uri(shown), null, ct);
            return new(true, $"Proxy {shown} answers HTTP ({answer.Code}); no SMS or monitoring URL goes through it, so relaying (and its login) was not tried.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested && HttpFailure.Describe(e, $"Proxy {proxy.Authority}", Timeout) is { } message)
        {
            return new(false, message);
        }
    }
}
