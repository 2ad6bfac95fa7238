using System.Net;
using Runner.Appliance.Features.SecuritySettings;

namespace Runner.Appliance.Features.Preflight.Http;

/// <summary>
/// Which proxy the platform uses for a URL, as curl and Ansible read http_proxy / https_proxy /
/// no_proxy: http URLs take the HTTP proxy, https URLs the HTTPS proxy (the HTTP one when it is
/// empty); no_proxy entries are hosts, .domains (suffixes), IPv4 addresses, CIDR networks or "*".
/// Both proxies take the login of the security step: its user name and <paramref name="password"/>.
/// </summary>
public sealed class ProxyRoute(SecuritySettingsDto? security, string? password = null)
{
    /// <summary>The proxy user name; null when the proxy takes no login.</summary>
    public string? Username => string.IsNullOrWhiteSpace(security?.ProxyUsername) ? null : security.ProxyUsername.Trim();

    /// <summary>Whether a user name is configured but its password is not stored (an answer file imported without its passphrase).</summary>
    public bool PasswordMissing => Username is not null && string.IsNullOrEmpty(password);

    public bool Enabled => security is { ProxyEnabled: true } && HttpProxy is not null;

    public Uri? HttpProxy => Parse(security?.HttpProxy);

    public Uri? HttpsProxy => Parse(security?.HttpsProxy) ?? HttpProxy;

    /// <summary>The proxy <paramref name="target"/> goes through, or null when it goes direct.</summary>
    public Uri? For(Uri target) =>
        !Enabled || Bypassed(target.Host) ? null : target.Scheme == Uri.UriSchemeHttps ? HttpsProxy : HttpProxy;

    public bool Bypassed(string host)
    {
        host = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        foreach (var raw in security?.NoProxy ?? [])
        {
            var entry = raw.Trim().TrimEnd('.').ToLowerInvariant();
            if (entry.Length == 0)
                continue;
            if (entry == "*" || entry == host)
                return true;
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                if (IPAddress.TryParse(host, out var address) && IPNetwork.TryParse(entry, out var network) && network.Contains(address))
                    return true;
                continue;
            }
            // ".example.local" and "example.local" both cover the domain's hosts.
            var domain = entry.TrimStart('.');
            if (host == domain || host.EndsWith($".{domain}", StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>A proxy URL as shown in messages: scheme, host and port, never a login.</summary>
    public static string Show(Uri proxy) => $"{proxy.Scheme}://{proxy.Authority}";

    /// <summary>
    /// The proxy as .NET uses it, with the login of the security step: .NET answers the proxy's 407
    /// challenge with it (Basic, or NTLM / Negotiate when the proxy asks for those).
    /// </summary>
    public WebProxy Create(Uri proxy) => new(new Uri(Show(proxy)))
    {
        Credentials = Username is { } user ? new NetworkCredential(user, password ?? "") : null,
    };

    private static Uri? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
            text = $"http://{text}";
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
    }
}
