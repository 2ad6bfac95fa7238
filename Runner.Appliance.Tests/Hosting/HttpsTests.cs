using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Hosting;

public sealed class HttpsTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task WithACertificate_HttpRedirectsToHttps()
    {
        var (certificate, key) = WriteSelfSignedPem(_data.Path);
        using var host = new ApplianceHost(_data.Path, settings: new Dictionary<string, string?>
        {
            ["Appliance:CertificatePath"] = certificate,
            ["Appliance:CertificateKeyPath"] = key,
            ["Appliance:HttpsPort"] = "8443",
        });
        var client = host.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("http://appliance.local") });

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://appliance.local:8443/healthz", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task WithoutACertificate_HttpIsServed()
    {
        using var host = new ApplianceHost(_data.Path);

        var response = await host.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static (string Certificate, string Key) WriteSelfSignedPem(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=appliance.local", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificatePath = Path.Combine(directory, "appliance.crt");
        var keyPath = Path.Combine(directory, "appliance.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public void Dispose() => _data.Dispose();
}
