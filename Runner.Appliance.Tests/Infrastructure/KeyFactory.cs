using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Runner.Appliance.Tests.Infrastructure;

/// <summary>Real key material for tests: certificates from .NET, SSH keys from the real ssh-keygen.</summary>
public static class KeyFactory
{
    public static (string CertificatePem, string KeyPem) Certificate(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public static (string CertificatePem, string KeyPem) ValidCertificate(string name = "*.example.local") =>
        Certificate(name, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(365));

    /// <summary>An OpenSSH private key made by ssh-keygen (ed25519 or rsa), optionally passphrase-protected.</summary>
    public static string SshPrivateKey(string type = "ed25519", string passphrase = "") => SshKeyPair(type, passphrase).PrivateKey;

    public static (string PrivateKey, string PublicKey) SshKeyPair(string type = "ed25519", string passphrase = "")
    {
        var directory = Directory.CreateTempSubdirectory("runner-ssh-");
        try
        {
            var file = Path.Combine(directory.FullName, "id");
            var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-q", "-t", type, "-N", passphrase, "-C", "runner-test", "-f", file })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            process.WaitForExit(30_000);
            Assert.Equal(0, process.ExitCode);
            return (File.ReadAllText(file), File.ReadAllText(file + ".pub"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
