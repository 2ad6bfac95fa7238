using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Runner.Appliance.Features.Hypervisors;

namespace Runner.Appliance.Integrations.Tls;

/// <summary>
/// How a check trusts a server's TLS certificate (the hypervisor's policy: verify against the
/// system store, pin a SHA-256 thumbprint, or accept any), and what it saw: the certificate and
/// why it was refused. One instance per conversation.
/// </summary>
public sealed class ServerTrust(CertificatePolicy policy, string? thumbprint = null, X509Certificate2Collection? authorities = null)
{
    public X509Certificate2? Seen { get; private set; }

    /// <summary>Why the certificate was refused; null when it was accepted or not yet seen.</summary>
    public string? Refusal { get; private set; }

    /// <summary>SHA-256 thumbprint of the server certificate, colon-separated as vSphere shows it.</summary>
    public string? SeenThumbprint => Seen is null ? null : Format(Seen.GetCertHash(HashAlgorithmName.SHA256));

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Refusal = "the server sent no certificate";
            return false;
        }
        Seen = new X509Certificate2(certificate);
        Refusal = policy switch
        {
            CertificatePolicy.AcceptAny => null,
            CertificatePolicy.TrustThumbprint => Normalize(thumbprint) == Normalize(SeenThumbprint)
                ? null : $"its certificate thumbprint {SeenThumbprint} is not the configured {thumbprint}",
            _ when SiteAuthorities.Accepts(certificate, chain, errors, authorities) => null,
            _ => $"its certificate is not trusted ({errors}); trust its thumbprint {SeenThumbprint} or add its CA to the site CA certificates (Security step)",
        };
        return Refusal is null;
    }

    /// <summary>An HTTP client that applies this trust; the caller disposes it.</summary>
    public HttpClient CreateClient(TimeSpan timeout, System.Net.IWebProxy? proxy = null) =>
        new(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
            UseProxy = proxy is not null,
            Proxy = proxy,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        }) { Timeout = timeout };

    public static string Format(byte[] hash) => string.Join(':', hash.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private static string Normalize(string? value) => (value ?? "").Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
}
