using System.Security.Cryptography.X509Certificates;

namespace Runner.Appliance.Hosting;

internal static class HttpsSetup
{
    /// <summary>When the appliance has a certificate, Kestrel serves it on its HTTPS endpoints.</summary>
    public static void ConfigureHttps(this WebApplicationBuilder builder, ApplianceOptions options)
    {
        if (!options.HttpsEnabled)
            return;
        var certificate = X509Certificate2.CreateFromPemFile(options.CertificatePath!, options.CertificateKeyPath);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        builder.Services.AddHttpsRedirection(redirect => redirect.HttpsPort = options.HttpsPort);
    }
}
