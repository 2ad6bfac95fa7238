using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Certificates;
using Runner.Appliance.Features.SecuritySettings;

namespace Runner.Appliance.Tests.Preflight.Certificates;

/// <summary>The site certificate: a good private-CA chain passes; expired, wrong key, missing name, incomplete chain are each named.</summary>
public sealed class CertificateChecksTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task ACompleteChainWithItsKey_CoveringTheWildcard_Passes()
    {
        var pki = new TestPki();
        var (leaf, key) = pki.Leaf(["*.example.local"], Now.AddDays(-1), Now.AddDays(365));

        var results = await RunAsync(leaf + pki.IntermediatePem + pki.RootPem, key);

        Assert.All(results.Values, r => Assert.Equal(CheckStatus.Passed, r.Status));
        Assert.Contains("3 certificates: prod-web → Site Intermediate CA → Site Root CA (root in the bundle)", results.Get("security.certificate.chain").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredCertificate_FailsTheValidityCheck_WithItsDate()
    {
        var pki = new TestPki();
        var (leaf, key) = pki.Leaf(["*.example.local"], Now.AddDays(-400), Now.AddDays(-2));

        var result = (await RunAsync(leaf + pki.IntermediatePem + pki.RootPem, key)).Get("security.certificate.validity");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.StartsWith($"The certificate expired on {Now.AddDays(-2).UtcDateTime:yyyy-MM-dd}", result.Message, StringComparison.Ordinal);
        Assert.True(result.Blocks);
        Assert.Equal("wizard/security?field=certificatePem&check=security.certificate.validity", result.Link);
    }

    [Fact]
    public async Task ACertificateExpiringWithin30Days_IsAWarning_NotABlock()
    {
        var pki = new TestPki();
        var (leaf, key) = pki.Leaf(["*.example.local"], Now.AddDays(-300), Now.AddDays(12));

        var result = (await RunAsync(leaf + pki.IntermediatePem + pki.RootPem, key)).Get("security.certificate.validity");

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains("expires in 11 days", result.Message, StringComparison.Ordinal);
        Assert.False(result.Blocks);
    }

    [Fact]
    public async Task AnotherPrivateKey_FailsTheKeyCheck_AtThePrivateKeyField()
    {
        var pki = new TestPki();
        var (leaf, _) = pki.Leaf(["*.example.local"], Now.AddDays(-1), Now.AddDays(365));
        using var other = RSA.Create(2048);

        var result = (await RunAsync(leaf + pki.IntermediatePem + pki.RootPem, other.ExportPkcs8PrivateKeyPem())).Get("security.certificate.key");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal("The private key does not belong to CN=prod-web: its public half differs. Upload the key this certificate was issued for.", result.Message);
        Assert.Equal("privateKey", result.Check.Target!.Field);
    }

    [Fact]
    public async Task AMissingName_IsListed_WithTheNamesTheCertificateHas()
    {
        var pki = new TestPki();
        var (leaf, key) = pki.Leaf(["prod-rancher.example.local", "prod-vault.example.local"], Now.AddDays(-1), Now.AddDays(365));

        var result = (await RunAsync(leaf + pki.IntermediatePem + pki.RootPem, key)).Get("security.certificate.names");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("does not cover prod-argocd-apps.example.local, prod-argocd-middleware.example.local", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("prod-vault.example.local,", result.Message.Split("(its names")[0], StringComparison.Ordinal);
        Assert.EndsWith("expected *.example.local or each name.", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWildcardOfAnotherLevel_DoesNotCoverTheNames()
    {
        var pki = new TestPki();
        var (leaf, key) = pki.Leaf(["*.local"], Now.AddDays(-1), Now.AddDays(365));

        Assert.Equal(CheckStatus.Failed, (await RunAsync(leaf + pki.IntermediatePem + pki.RootPem, key)).Get("security.certificate.names").Status);
    }

    [Fact]
    public async Task AMissingIntermediate_IsNamed()
    {
        var pki = new TestPki();
        var (leaf, key) = pki.Leaf(["*.example.local"], Now.AddDays(-1), Now.AddDays(365));

        var result = (await RunAsync(leaf + pki.RootPem, key)).Get("security.certificate.chain");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.StartsWith("The chain is incomplete: the issuer of 'CN=prod-web' ('CN=Site Intermediate CA') is missing.", result.Message, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, CheckResult>> RunAsync(string certificatePem, string keyPem)
    {
        var configuration = new AnswerFileDocument
        {
            General = new GeneralSettingsDto { EnvironmentPrefix = "prod", BaseDomain = "example.local" },
            Security = new SecuritySettingsDto { TlsMode = TlsMode.Upload, CertificatePem = certificatePem },
        };
        return await CheckHarness.RunAsync(new CertificateChecks(GroupRun.Bound(), TimeProvider.System),
            CheckHarness.Inputs(configuration, new() { ["security.privateKey"] = keyPem }));
    }

    /// <summary>A private CA: root → intermediate → leaf, as a site PKI issues them.</summary>
    private sealed class TestPki
    {
        private readonly RSA _rootKey = RSA.Create(2048);
        private readonly RSA _intermediateKey = RSA.Create(2048);
        private readonly X509Certificate2 _root, _intermediate;

        public TestPki()
        {
            _root = Ca("Site Root CA", _rootKey).CreateSelfSigned(Now.AddYears(-3), Now.AddYears(10));
            using var intermediate = Ca("Site Intermediate CA", _intermediateKey).Create(_root, Now.AddYears(-2), Now.AddYears(5), [1, 2, 3, 4]);
            _intermediate = intermediate.CopyWithPrivateKey(_intermediateKey);
        }

        public string RootPem => _root.ExportCertificatePem() + "\n";

        public string IntermediatePem => _intermediate.ExportCertificatePem() + "\n";

        public (string Pem, string Key) Leaf(string[] names, DateTimeOffset from, DateTimeOffset until)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=prod-web", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var sans = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
                sans.AddDnsName(name);
            request.CertificateExtensions.Add(sans.Build());
            using var leaf = request.Create(_intermediate, from, until, [9, 8, 7, (byte)Random.Shared.Next(256)]);
            return (leaf.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem());
        }

        private static CertificateRequest Ca(string name, RSA key)
        {
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request;
        }
    }
}
