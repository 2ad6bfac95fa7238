using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Runner.Appliance.Features.SecuritySettings;

/// <summary>Turns an uploaded PFX / PKCS#12 file into the PEM certificate chain and private key the appliance stores.</summary>
public static class Pkcs12Import
{
    /// <returns>The PEM pair, or the reason the file cannot be used.</returns>
    public static (string CertificatePem, string KeyPem)? Convert(string base64, string? password, out string? problem)
    {
        problem = null;
        try
        {
            var collection = X509CertificateLoader.LoadPkcs12Collection(System.Convert.FromBase64String(base64), password, X509KeyStorageFlags.Exportable);
            var leaf = collection.FirstOrDefault(c => c.HasPrivateKey);
            if (leaf is null)
            {
                problem = "The PFX file holds no private key; export it again with the key included.";
                return null;
            }
            var key = (AsymmetricAlgorithm?)leaf.GetRSAPrivateKey() ?? leaf.GetECDsaPrivateKey();
            if (key is null)
            {
                problem = "The PFX key is neither RSA nor ECDSA; the platform needs one of those.";
                return null;
            }
            var chain = string.Concat(new[] { leaf }.Concat(collection.Where(c => c != leaf && !c.HasPrivateKey)).Select(c => c.ExportCertificatePem() + "\n"));
            return (chain, key.ExportPkcs8PrivateKeyPem());
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            problem = "The PFX file could not be opened: the password is wrong or the file is not PKCS#12 (.pfx, .p12).";
            return null;
        }
    }
}
