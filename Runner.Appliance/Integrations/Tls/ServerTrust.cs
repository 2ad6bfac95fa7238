using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Runner.Appliance.Features.Hypervisors;

namespace Runner.Appliance.Integrations.Tls;

/// <summary>
/// How one conversation trusts a server's TLS certificate, and what it saw: the certificate, what its
/// chain said, and why it was refused. Every TLS client of the preflight takes one (an HttpClient from
/// <see cref="CreateClient"/>, MailKit and SslStream through <see cref="Validate"/>); one instance per conversation.
/// </summary>
public sealed class ServerTrust
{
    private readonly CertificatePolicy _policy;
    private readonly string? _thumbprint;
    private readonly SiteAuthorities _authorities;
    private readonly bool _pinnable;

    /// <summary>A hypervisor's trust, by its policy: verify against the system store and the site CAs, pin a SHA-256 thumbprint, or accept any.</summary>
    public ServerTrust(CertificatePolicy policy, string? thumbprint = null, SiteAuthorities? authorities = null)
        : this(policy, thumbprint, authorities ?? SiteAuthorities.None, pinnable: true)
    {
    }

    private ServerTrust(CertificatePolicy policy, string? thumbprint, SiteAuthorities authorities, bool pinnable) =>
        (_policy, _thumbprint, _authorities, _pinnable) = (policy, thumbprint, authorities, pinnable);

    /// <summary>A server whose item offers no thumbprint to pin (an HTTP endpoint): the system store or a site CA vouches for it.</summary>
    public static ServerTrust Verify(SiteAuthorities authorities) => new(CertificatePolicy.Verify, null, authorities, pinnable: false);

    /// <summary>Any certificate, recorded: for a check whose subject is not the certificate (a proxy's relay), or whose client decides itself (libldap).</summary>
    public static ServerTrust AcceptAny() => new(CertificatePolicy.AcceptAny, null, SiteAuthorities.None, pinnable: false);

    public X509Certificate2? Seen { get; private set; }

    /// <summary>Why the certificate was refused; null when it was accepted or not yet seen.</summary>
    public string? Refusal { get; private set; }

    /// <summary>SHA-256 thumbprint of the server certificate, colon-separated as vSphere shows it.</summary>
    public string? SeenThumbprint => Seen is null ? null : Format(Seen.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>What the system store said of the chain: "trusted by the system store", or its faults.</summary>
    public string? SeenVerdict { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Refusal = "the server sent no certificate";
            return false;
        }
        Seen = new X509Certificate2(certificate);
        SeenVerdict = errors == SslPolicyErrors.None ? "trusted by the system store"
            : string.Join(", ", (chain?.ChainStatus ?? []).Select(s => s.Status.ToString()).Append(errors.ToString()).Distinct());
        Refusal = _policy switch
        {
            CertificatePolicy.AcceptAny => null,
            CertificatePolicy.TrustThumbprint => Normalize(_thumbprint) == Normalize(SeenThumbprint)
                ? null : $"its certificate thumbprint {SeenThumbprint} is not the configured {_thumbprint}",
            _ when _authorities.Accepts(certificate, chain, errors) => null,
            _ when _pinnable => $"its certificate is not trusted ({errors}); trust its thumbprint {SeenThumbprint} or add its CA to the site CA certificates (Security step)",
            _ => $"its certificate '{certificate.Subject}' is not trusted by this appliance's system store nor the site CAs ({errors}); "
                + "add the issuing CA to the site CA certificates (Security step), or give the endpoint a certificate for this name from a trusted CA",
        };
        return Refusal is null;
    }

    /// <summary>An HTTP client that applies this trust; the caller disposes it.</summary>
    public HttpClient CreateClient(TimeSpan timeout, IWebProxy? proxy = null) =>
        new(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
            UseProxy = proxy is not null,
            Proxy = proxy,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        }) { Timeout = timeout };

    public static string Format(byte[] hash) => string.Join(':', hash.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    private static string Normalize(string? value) => (value ?? "").Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
}
