using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Integrations.Http;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Features.Preflight.Http;

/// <summary>
/// An HTTP endpoint of the configuration (an SMS gateway, a monitoring system) and how it is checked.
/// A secret without a user name is a token, sent as "Authorization: Bearer".
/// </summary>
public sealed record EndpointTarget(ItemKind Kind, string Category, int Id, string Alias, string? Url, string UrlField,
    string? Username, string? Secret, string SecretField, CheckSeverity Severity);

/// <summary>
/// Reachability (name, connection, an HTTP answer over trusted TLS) and, when a user or a token is
/// configured, authentication of one HTTP endpoint, by harmless GETs of its URL.
/// </summary>
public sealed class EndpointCheckGroup : CheckGroup
{
    private readonly EndpointTarget _target;
    private readonly ProxyRoute _route;
    private readonly CheckDefinition _reachable;
    private readonly CheckDefinition? _auth;
    private readonly SiteAuthorities _authorities;

    public EndpointCheckGroup(EndpointTarget target, ProxyRoute route, TimeSpan timeout, SiteAuthorities authorities)
        : base(target.Kind.Owner(target.Id), timeout)
    {
        (_target, _route, _authorities) = (target, route, authorities);
        var field = FieldRef.ForItem(target.Kind, target.Id, target.Alias, target.UrlField);
        var id = $"{target.Kind.Collection}.{target.Alias.ToLowerInvariant()}";
        _reachable = Define($"{id}.reachable", target.Category, $"{target.Alias}: {target.Url} answers", target.Severity, field);
        // Without a user nor a token there is nothing to authenticate: only reachability is checked.
        if (!string.IsNullOrWhiteSpace(target.Username))
            _auth = Define($"{id}.auth", target.Category, $"{target.Alias}: accepts the credentials of user {target.Username.Trim()}",
                target.Severity, field.WithField(target.SecretField));
        else if (!string.IsNullOrEmpty(target.Secret))
            _auth = Define($"{id}.auth", target.Category, $"{target.Alias}: accepts its bearer token (the {target.SecretField}, no user name)",
                target.Severity, field.WithField(target.SecretField));
    }

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        if (!Uri.TryCreate(_target.Url?.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            Stop(report, _reachable, CheckOutcome.Failed($"'{_target.Url}' is not an http(s) URL."), "Not checked: the URL is not valid.");
            return;
        }
        var proxy = _route.For(url);
        var via = proxy is null ? "" : $" via proxy {ProxyRoute.Show(proxy)}";
        if (proxy is null && await HttpProbe.ConnectAsync(url.IdnHost, url.Port, ct) is { } unreachable)
        {
            Stop(report, _reachable, CheckOutcome.Failed(unreachable), $"Not checked: {url.Authority} cannot be reached.");
            return;
        }

        using var probe = new HttpProbe(Timeout, ServerTrust.Verify(_authorities), proxy is null ? null : _route.Create(proxy));
        HttpAnswer anonymous;
        try
        {
            anonymous = await probe.GetAsync(url, null, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && HttpFailure.Describe(e, url.Authority + via, Timeout, probe.TlsRefusal) is { } message)
        {
            Stop(report, _reachable, CheckOutcome.Failed(message), $"Not checked: {url.Authority} gave no HTTP answer.");
            return;
        }
        if (proxy is not null && anonymous.Status == System.Net.HttpStatusCode.ProxyAuthenticationRequired)
        {
            Stop(report, _reachable, CheckOutcome.Failed($"Proxy {ProxyRoute.Show(proxy)} refused to relay to {url.Authority} without a valid login (HTTP 407): "
                + "check the proxy user name and password of the Security step (the proxy check says more)."), $"Not checked: the proxy did not relay to {url.Authority}.");
            return;
        }
        var answered = $"{url.GetLeftPart(UriPartial.Path)} answers HTTP {anonymous.Code}{via} in {anonymous.Milliseconds} ms";
        report.Report(_reachable, anonymous.Code >= 500
            ? CheckOutcome.Warn($"{answered}: a server error; the endpoint is up but may not work.")
            : CheckOutcome.Passed($"{answered}."));
        if (_auth is not null)
            report.Report(_auth, await AuthenticateAsync(probe, url, anonymous, ct));
    }

    private async Task<CheckOutcome> AuthenticateAsync(HttpProbe probe, Uri url, HttpAnswer anonymous, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(_target.Secret))
            return CheckOutcome.Failed($"No {_target.SecretField} is stored for user {_target.Username!.Trim()}: enter it (an imported answer file without its passphrase carries none).");
        var login = new EndpointLogin(_target.Username, _target.Secret);
        // An HTTP header cannot carry it: say so rather than fail inside the client.
        if (login.IsToken && _target.Secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return CheckOutcome.Failed($"The {_target.SecretField} holds spaces or line breaks, which a bearer token cannot carry: check it, or give the user name for a Basic login.");
        HttpAnswer answer;
        try
        {
            answer = await probe.GetAsync(url, login, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && HttpFailure.Describe(e, url.Authority, Timeout, probe.TlsRefusal) is { } message)
        {
            return CheckOutcome.Failed(message);
        }
        if (answer.Refused)
            return CheckOutcome.Failed(login.IsToken
                ? $"The endpoint refused the bearer token (HTTP {answer.Code}): check the token in the {_target.SecretField} field (with no user name it is sent as \"Authorization: Bearer\"; give a user name for Basic authentication)."
                : $"The endpoint refused the credentials of user {login.Username!.Trim()} (HTTP {answer.Code}): check the user name and the {_target.SecretField}.");
        // An endpoint that answers the anonymous GET alike never looked at the credentials.
        if (!anonymous.Refused)
            return CheckOutcome.Warn($"{url.Authority} answers GET without asking for credentials (HTTP {anonymous.Code}), so {login.Described} could not be verified; "
                + "it is first used when the platform sends.");
        return CheckOutcome.Passed($"The endpoint accepted {login.Described} (HTTP {answer.Code}; HTTP {anonymous.Code} without {(login.IsToken ? "it" : "them")}).");
    }
}
