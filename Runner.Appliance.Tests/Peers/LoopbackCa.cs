using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Runner.Appliance.Tests.Peers;

/// <summary>
/// A private CA and a server certificate it signed for 127.0.0.1 and localhost, written as PEM
/// files into a directory: ca.crt (alone in ca/, the directory a client trusts), server.crt, server.key.
/// </summary>
public sealed class LoopbackCa
{
    public LoopbackCa(string directory, string name = "Runner Test CA")
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var server = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));

        TrustDirectory = Path.Combine(directory, "ca");
        Directory.CreateDirectory(TrustDirectory);
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        File.WriteAllText(CertificateFile, server.ExportCertificatePem());
        File.WriteAllText(KeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        ServerThumbprint = Convert.ToHexString(server.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>A directory holding only the CA certificate.</summary>
    public string TrustDirectory { get; }

    public string CaFile => Path.Combine(TrustDirectory, "ca.crt");

    public string CertificateFile => Path.Combine(Path.GetDirectoryName(TrustDirectory)!, "server.crt");

    public string KeyFile => Path.Combine(Path.GetDirectoryName(TrustDirectory)!, "server.key");

    /// <summary>SHA-256 of the server certificate, hex.</summary>
    public string ServerThumbprint { get; }
}
