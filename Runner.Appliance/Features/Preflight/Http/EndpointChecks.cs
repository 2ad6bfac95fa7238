using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Configuration.Collections;

namespace Runner.Appliance.Features.Preflight.Http;

/// <summary>
/// HTTP endpoints the platform depends on: SMS gateways and monitoring systems (reachable, and
/// accepting their credentials), and the proxy of the security step (answers and relays).
/// </summary>
public sealed class EndpointChecks(IOptions<PreflightOptions> options) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        var document = inputs.Configuration;
        var route = new ProxyRoute(document.Security, inputs.SecuritySecret("proxyPassword"));
        var timeout = options.Value.CheckTimeout;
        for (var i = 0; i < document.SmsProviders.Count; i++)
        {
            var sms = document.SmsProviders[i];
            // Blocking: the platform sends its one-time sign-in codes through the gateway; while it is
            // unreachable or refuses the login, nobody with a second factor can sign in.
            yield return new EndpointCheckGroup(new EndpointTarget(ItemKinds.Sms, "SMS provider", sms.Id, sms.Alias ?? $"#{sms.Id}", sms.Url, "url",
                sms.Username, inputs.Secret(ItemKinds.Sms, i, "secret"), "secret", CheckSeverity.Blocking), route, timeout, inputs.Authorities);
        }
        for (var i = 0; i < document.Monitoring.Count; i++)
        {
            var monitoring = document.Monitoring[i];
            // Warning: the platform runs without its monitoring, and the agents resend once it answers.
            yield return new EndpointCheckGroup(new EndpointTarget(ItemKinds.Monitoring, "Monitoring", monitoring.Id, monitoring.Alias ?? $"#{monitoring.Id}",
                monitoring.Endpoint, "endpoint", monitoring.Username, inputs.Secret(ItemKinds.Monitoring, i, "password"), "password", CheckSeverity.Warning), route, timeout, inputs.Authorities);
        }
        if (route.Enabled)
        {
            var urls = document.SmsProviders.Select(s => s.Url).Concat(document.Monitoring.Select(m => m.Endpoint));
            var targets = urls.Select(u => Uri.TryCreate(u?.Trim(), UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>()
                .Where(u => u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
            yield return new ProxyCheckGroup(route, targets, timeout);
        }
    }
}
