using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Runner.Appliance.Features.SecuritySettings;

/// <summary>Parses uploaded certificates and keys, and says in plain words why one is refused.</summary>
public static class KeyMaterial
{
    /// <summary>Checks a PEM certificate (leaf first, then intermediates) against its private key and today's date.</summary>
    public static string? CertificateProblem(string certificatePem, string? privateKeyPem, DateTimeOffset now)
    {
        X509Certificate2Collection chain = [];
        try
        {
            chain.ImportFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            return "is not a PEM certificate; expected text starting with -----BEGIN CERTIFICATE-----";
        }
        if (chain.Count == 0)
            return "holds no certificate; expected text starting with -----BEGIN CERTIFICATE-----";
        var leaf = chain[0];
        if (leaf.NotAfter.ToUniversalTime() < now.UtcDateTime)
            return $"expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}; upload a certificate that is still valid";
        if (leaf.NotBefore.ToUniversalTime() > now.UtcDateTime)
            return $"is not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd}; check the appliance clock or the certificate";
        if (privateKeyPem is null)
            return null;
        try
        {
            using var withKey = X509Certificate2.CreateFromPem(leaf.ExportCertificatePem(), privateKeyPem);
            return KeyMatches(withKey) ? null : "does not match the private key; upload the key this certificate was issued for";
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return "does not match the private key (or the key is not an unencrypted PEM key); upload the key this certificate was issued for";
        }
    }

    /// <summary>PEM blocks pasted back to back ("-----END CERTIFICATE----------BEGIN…") split onto their own lines, as parsers need.</summary>
    public static string SplitPemBlocks(string pem) => pem.Replace("----------BEGIN", "-----\n-----BEGIN", StringComparison.Ordinal).Trim();

    /// <summary>Null when the PEM holds only CA certificates; otherwise why not.</summary>
    public static string? AuthoritiesProblem(string pem)
    {
        X509Certificate2Collection authorities = [];
        try
        {
            authorities.ImportFromPem(SplitPemBlocks(pem));
        }
        catch (CryptographicException)
        {
            return "are not PEM text; expected one or more -----BEGIN CERTIFICATE----- blocks";
        }
        if (authorities.Count == 0)
            return "hold no certificate; expected one or more -----BEGIN CERTIFICATE----- blocks";
        var notCa = authorities.FirstOrDefault(c => c.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true });
        return notCa is null ? null : $"include '{notCa.Subject}', which is not a CA certificate; paste only the CAs that issued your servers' certificates";
    }

    public static string Summary(string certificatePem)
    {
        X509Certificate2Collection chain = [];
        chain.ImportFromPem(certificatePem);
        var leaf = chain[0];
        var names = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
        return $"{leaf.Subject}; names: {(names.Count == 0 ? "none" : string.Join(", ", names))}; valid until {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}; chain of {chain.Count}";
    }

    /// <summary>Null when the SSH private key loads (with its passphrase, if any); otherwise why not.</summary>
    public static string? SshKeyProblem(string privateKey, string? passphrase)
    {
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(privateKey.Trim() + "\n"));
            using var key = string.IsNullOrEmpty(passphrase) ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, passphrase);
            return null;
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            return "is encrypted; enter its passphrase as well";
        }
        catch (SshException ex) when (WrongPassphrase(ex.Message) && !string.IsNullOrEmpty(passphrase))
        {
            return "could not be decrypted with the passphrase given; check the passphrase";
        }
        catch (Exception ex) when (ex is SshException or ArgumentException or FormatException or CryptographicException or NotSupportedException or InvalidOperationException)
        {
            return "is not an SSH private key; expected an OpenSSH, PEM (RSA/EC) or PKCS#8 private key";
        }
    }

    // SSH.NET reports a wrong passphrase as a failed integrity check of the decrypted key.
    private static bool WrongPassphrase(string message) =>
        new[] { "check bytes", "passphrase", "decrypt", "padding" }.Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static bool KeyMatches(X509Certificate2 certificate)
    {
        // CreateFromPem pairs any key; sign and verify to prove the key is the certificate's.
        var data = "runner-appliance"u8.ToArray();
        if (certificate.GetRSAPrivateKey() is { } rsa)
            return certificate.GetRSAPublicKey()!.VerifyData(data, rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (certificate.GetECDsaPrivateKey() is { } ec)
            return certificate.GetECDsaPublicKey()!.VerifyData(data, ec.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256);
        return false;
    }
}
