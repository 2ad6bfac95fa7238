using System.Net;
using System.Text.RegularExpressions;

namespace Runner.Appliance.Features.Preflight.Http;

/// <summary>
/// The proxy of the security step answers and relays. Each configured proxy relays a GET to the
/// first SMS or monitoring URL that goes through it (for https that is an HTTP CONNECT tunnel);
/// with no such URL, only its own HTTP answer is checked, and the message says so.
/// </summary>
public sealed partial class ProxyGroup : CheckGroup
{
    private readonly ProxyRoute _route;
    private readonly IReadOnlyList<Uri> _targets;
    private readonly CheckDefinition _proxy;

    public ProxyGroup(ProxyRoute route, IEnumerable<Uri> targets, TimeSpan timeout) : base("security", timeout)
    {
        _route = route;
        _targets = [.. targets];
        // Blocking: with the proxy on, package installs and image pulls of every role go through it.
        _proxy = Define("security.proxy", "Proxy", "The proxy answers and relays requests", CheckSeverity.Blocking,
            FieldRef.ForStep("wizard/security", "Proxy", "httpProxy"));
    }

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        var proxies = new List<(Uri Proxy, string Field)> { (_route.HttpProxy!, "httpProxy") };
        if (_route.HttpsProxy is { } https && ProxyRoute.Show(https) != ProxyRoute.Show(_route.HttpProxy!))
            proxies.Add((https, "httpsProxy"));
        var passed = new List<string>();
        foreach (var (proxy, field) in proxies)
        {
            var target = _targets.FirstOrDefault(t => _route.For(t) is { } p && ProxyRoute.Show(p) == ProxyRoute.Show(proxy));
            var (ok, message) = target is null ? await AnswersAsync(proxy, ct) : await RelaysAsync(proxy, target, ct);
            if (!ok)
            {
                report.Report(_proxy, CheckOutcome.Failed(message, field));
                return;
            }
            passed.Add(message);
        }
        report.Report(_proxy, CheckOutcome.Passed(string.Join(" ", passed)));
    }

    private async Task<(bool, string)> RelaysAsync(Uri proxy, Uri target, CancellationToken ct)
    {
        var shown = ProxyRoute.Show(proxy);
        var what = target.Scheme == Uri.UriSchemeHttps ? $"a tunnel (CONNECT) to {target.Authority}" : $"GET {target.GetLeftPart(UriPartial.Path)}";
        // The relay is what is tested here: the target's certificate is the endpoint check's business.
        using var probe = new HttpProbe(Timeout, proxy, verifyTls: false);
        try
        {
            var answer = await probe.GetAsync(target, null, null, ct);
            return answer.Status switch
            {
                HttpStatusCode.ProxyAuthenticationRequired => (false, $"Proxy {shown} asks for a login (HTTP 407): put user:password in the proxy URL."),
                HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout when target.Scheme == Uri.UriSchemeHttp =>
                    (false, $"Proxy {shown} answered {what} with HTTP {answer.Code}: it cannot reach {target.Authority} (the endpoint's own check says whether it is up)."),
                _ => (true, $"Proxy {shown} relayed {what} (HTTP {answer.Code} in {answer.Milliseconds} ms), the first SMS or monitoring URL that goes through it."),
            };
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ProxyTunnelError)
        {
            // .NET words it "…failed with status code '502'": keep the code, which says why (502 unreachable, 403 not allowed).
            var code = TunnelStatus().Match(e.Message) is { Success: true } m ? $"HTTP {m.Groups[1].Value}" : e.Message;
            return (false, $"Proxy {shown} refused {what} ({code}): it cannot or may not reach {target.Authority}; the endpoint's own check says whether it is up.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested && HttpFailure.Describe(e, $"Proxy {proxy.Authority}", Timeout) is { } message)
        {
            return (false, message);
        }
    }

    private async Task<(bool, string)> AnswersAsync(Uri proxy, CancellationToken ct)
    {
        var shown = ProxyRoute.Show(proxy);
        if (await HttpProbe.ConnectAsync(proxy.IdnHost, proxy.Port, ct) is { } unreachable)
            return (false, $"Proxy {shown}: {unreachable}");
        using var probe = new HttpProbe(Timeout, verifyTls: false);
        try
        {
            // A request in origin form is not a proxy request: any HTTP answer shows a live HTTP server.
            var answer = await probe.GetAsync(new Uri(shown), null, null, ct);
            return (true, $"Proxy {shown} answers HTTP ({answer.Code}); no SMS or monitoring URL goes through it, so relaying was not tried.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested && HttpFailure.Describe(e, $"Proxy {proxy.Authority}", Timeout) is { } message)
        {
            return (false, message);
        }
    }

    [GeneratedRegex("'(\\d{3})'")]
    private static partial Regex TunnelStatus();
}
