using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Runner.Appliance.Integrations.Tls;

/// <summary>
/// The site's own CAs (security step, "Site CA certificates"): a server whose certificate the system
/// store does not trust is still trusted when its chain ends at one of them. Nothing is downloaded.
/// </summary>
public static class SiteAuthorities
{
    public static X509Certificate2Collection Parse(string? pem)
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

    /// <summary>
    /// The one trust decision of every "verify" TLS check: the system store accepts the certificate, or
    /// its only fault is a chain the system store cannot complete and that ends at a site CA.
    /// </summary>
    public static bool Accepts(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection? authorities) =>
        errors == SslPolicyErrors.None
        || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && authorities is { Count: > 0 } && Trust(certificate, presented, authorities));

    /// <summary>True when <paramref name="certificate"/> chains (through the intermediates it presented) to a site CA.</summary>
    public static bool Trust(X509Certificate certificate, X509Chain? presented, X509Certificate2Collection authorities)
    {
        if (authorities.Count == 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>
    /// A directory holding the site CAs and the system bundle, for libldap's trusted-certificates
    /// directory (which otherwise replaces the system store); null without site CAs. CA certificates
    /// are public: the directory is shared by content.
    /// </summary>
    public static string? Directory(string? pem)
    {
        var authorities = Parse(pem);
        if (authorities.Count == 0)
            return null;
        var name = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(pem!)))[..16];
        var directory = Path.Combine(Path.GetTempPath(), $"runner-site-ca-{name}");
        if (System.IO.Directory.Exists(directory))
            return directory;
        var staging = System.IO.Directory.CreateTempSubdirectory("runner-site-ca-").FullName;
        File.WriteAllText(Path.Combine(staging, "site-ca.crt"), string.Concat(authorities.Select(a => a.ExportCertificatePem() + "\n")));
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
