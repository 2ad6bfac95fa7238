using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Runner.Appliance.Integrations.Tls;

/// <summary>
/// The site's own CAs (security step, "Site CA certificates"), trusted by every TLS client besides the
/// system store: one value per preflight, handed to each conversation's <see cref="ServerTrust"/> (and to
/// libldap as <see cref="Directory"/>). A server whose certificate the system store does not trust is
/// still trusted when its chain ends at one of them. Nothing is downloaded.
/// </summary>
public sealed class SiteAuthorities
{
    private readonly string? _pem;
    private readonly Lazy<string?> _directory;

    private SiteAuthorities(string? pem)
    {
        _pem = pem;
        Certificates = Parse(pem);
        _directory = new(CreateDirectory);
    }

    /// <summary>No site CA: the system store alone decides.</summary>
    public static SiteAuthorities None { get; } = new(null);

    public static SiteAuthorities FromPem(string? pem) => string.IsNullOrWhiteSpace(pem) ? None : new(pem);

    public X509Certificate2Collection Certificates { get; }

    /// <summary>
    /// A directory holding the site CAs and the system bundle, for libldap's trusted-certificates
    /// directory (which otherwise replaces the system store); null without site CAs. CA certificates
    /// are public: the directory is shared by content.
    /// </summary>
    public string? Directory => _directory.Value;

    /// <summary>
    /// The one trust decision of every "verify" TLS check: the system store accepts the certificate, or
    /// its only fault is a chain the system store cannot complete and that ends at a site CA.
    /// </summary>
    public bool Accepts(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None
        || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && Certificates.Count > 0 && Trust(certificate, presented));

    /// <summary>True when <paramref name="certificate"/> chains (through the intermediates it presented) to a site CA.</summary>
    private bool Trust(X509Certificate certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Certificates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static X509Certificate2Collection Parse(string? pem)
    {
        X509Certificate2Collection authorities = [];
        if (!string.IsNullOrWhiteSpace(pem))
            try
            {
                authorities.ImportFromPem(Features.SecuritySettings.KeyMaterial.SplitPemBlocks(pem));
            }
            catch (CryptographicException)
            {
                // The security step refuses such text; an old row simply adds no authority.
            }
        return authorities;
    }

    private string? CreateDirectory()
    {
        if (Certificates.Count == 0)
            return null;
        var name = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_pem!)))[..16];
        var directory = Path.Combine(Path.GetTempPath(), $"runner-site-ca-{name}");
        if (System.IO.Directory.Exists(directory))
            return directory;
        var staging = System.IO.Directory.CreateTempSubdirectory("runner-site-ca-").FullName;
        File.WriteAllText(Path.Combine(staging, "site-ca.crt"), string.Concat(Certificates.Select(a => a.ExportCertificatePem() + "\n")));
        const string system = "/etc/ssl/certs/ca-certificates.crt";
        if (File.Exists(system))
            File.Copy(system, Path.Combine(staging, "system-ca.crt"));
        try
        {
            System.IO.Directory.Move(staging, directory);
        }
        catch (IOException)
        {
            System.IO.Directory.Delete(staging, recursive: true); // another check made it first
        }
        return directory;
    }
}
