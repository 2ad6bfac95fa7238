using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.SecuritySettings;

public sealed class SecuritySettingsValidatorTests
{
    private static readonly string SshKey = KeyFactory.SshPrivateKey();
    private static readonly (string Certificate, string Key) Site = KeyFactory.ValidCertificate();

    private static SecuritySettingsDto Settings(Action<SecuritySettingsDto>? change = null)
    {
        var s = new SecuritySettingsDto
        {
            ProxyEnabled = true, HttpProxy = "http://proxy.example.local:3128", NoProxy = [".example.local", "10.0.0.0/8", "localhost"],
            TlsMode = TlsMode.Upload, CertificatePem = Site.Certificate, DeploymentUser = "runner",
        };
        change?.Invoke(s);
        return s;
    }

    private static Runner.Appliance.Validation.FieldErrors Validate(SecuritySettingsDto s, string? tlsKey = null, string? ssh = null, string? passphrase = null,
        string? proxyPassword = null) =>
        SecuritySettingsValidator.Validate(s, tlsKey ?? Site.Key, ssh ?? SshKey, passphrase, proxyPassword, DateTimeOffset.UtcNow);

    [Fact]
    public void GoodSettings_AreAccepted() => Assert.True(Validate(Settings()).IsEmpty);

    [Fact]
    public void ANoProxyEntryListedTwice_IsRefused_NotSilentlyDropped() =>
        Assert.Equal("No-proxy entry '.example.local' is listed 2 times; list each once.",
            Validate(Settings(s => s.NoProxy = [".example.local", "localhost", ".EXAMPLE.local "])).For("noProxy"));

    [Fact]
    public void SiteCaCertificates_MustBeCaCertificates()
    {
        using var directory = new TempDirectory();
        var ca = new Runner.Appliance.Tests.Peers.LoopbackCa(directory.Path);

        Assert.True(Validate(Settings(s => s.TrustedCaPem = File.ReadAllText(ca.CaFile))).IsEmpty);
        Assert.Equal("Site CA certificates include 'CN=old.example.local', which is not a CA certificate; paste only the CAs that issued your servers' certificates.",
            Validate(Settings(s => s.TrustedCaPem = KeyFactory.Certificate("old.example.local", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(9)).CertificatePem)).For("trustedCaPem"));
        Assert.Equal("Site CA certificates hold no certificate; expected one or more -----BEGIN CERTIFICATE----- blocks.",
            Validate(Settings(s => s.TrustedCaPem = "my CA")).For("trustedCaPem"));
    }

    [Fact]
    public void AnRsaKeyAndAPassphraseProtectedKey_AreAccepted()
    {
        Assert.True(Validate(Settings(), ssh: KeyFactory.SshPrivateKey("rsa")).IsEmpty);
        Assert.True(Validate(Settings(), ssh: KeyFactory.SshPrivateKey("ed25519", "s3cret-pass"), passphrase: "s3cret-pass").IsEmpty);
    }

    [Fact]
    public void AnExpiredCertificate_IsRefusedWithThatReason()
    {
        var expired = KeyFactory.Certificate("old.example.local", DateTimeOffset.UtcNow.AddDays(-400), DateTimeOffset.UtcNow.AddDays(-35));

        var errors = Validate(Settings(s => s.CertificatePem = expired.CertificatePem), tlsKey: expired.KeyPem);

        Assert.Contains("The certificate expired on", errors.For("certificatePem"));
    }

    [Fact]
    public void ACertificateWhoseKeyDoesNotMatch_IsRefusedWithThatReason()
    {
        var other = KeyFactory.ValidCertificate("other.example.local");

        var errors = Validate(Settings(), tlsKey: other.KeyPem);

        Assert.Equal(["privateKey"], errors.Fields);
        Assert.Contains("does not match the private key", errors.For("privateKey"));
    }

    [Fact]
    public void NotAPemCertificate_IsRefused() =>
        Assert.Contains("holds no certificate", Validate(Settings(s => s.CertificatePem = "hello")).For("certificatePem"));

    [Fact]
    public void AnEncryptedSshKeyWithoutItsPassphrase_SaysToEnterThePassphrase()
    {
        var errors = Validate(Settings(), ssh: KeyFactory.SshPrivateKey("ed25519", "s3cret-pass"));

        Assert.Contains("The SSH private key is encrypted; enter its passphrase", errors.For("sshPrivateKey"));
    }

    [Fact]
    public void AWrongPassphrase_IsRefusedOnThePassphraseField() =>
        Assert.Contains("could not be decrypted", Validate(Settings(), ssh: KeyFactory.SshPrivateKey("ed25519", "s3cret-pass"), passphrase: "wrong").For("sshPassphrase"));

    [Fact]
    public void Garbage_IsNotAnSshKey() =>
        Assert.Contains("is not an SSH private key", Validate(Settings(), ssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nnope\n-----END OPENSSH PRIVATE KEY-----").For("sshPrivateKey"));

    [Theory]
    [InlineData("deploymentUser", "root", "other than root")]
    [InlineData("deploymentUser", "Runner", "lowercase")]
    [InlineData("deploymentUser", "", "Deployment user is required")]
    [InlineData("httpProxy", "proxy.example.local:3128", "is not an http(s) URL")]
    [InlineData("httpProxy", "", "HTTP proxy is required when the proxy is on")]
    [InlineData("noProxy", "*.example.local", "No-proxy entry '*.example.local' is not")]
    public void BadField_IsRejectedNamingIt(string field, string value, string message)
    {
        var errors = Validate(Settings(s =>
        {
            if (field == "deploymentUser") s.DeploymentUser = value;
            else if (field == "httpProxy") s.HttpProxy = value;
            else s.NoProxy = [value];
        }));

        Assert.Equal([field], errors.Fields);
        Assert.Contains(message, errors.For(field));
    }

    [Fact]
    public void MissingKeys_AreRequired()
    {
        var errors = SecuritySettingsValidator.Validate(Settings(), null, null, null, null, DateTimeOffset.UtcNow);

        Assert.Contains("Private key is required", errors.For("privateKey"));
        Assert.Contains("SSH private key of the deployment user is required", errors.For("sshPrivateKey"));
    }

    [Theory]
    [InlineData("http://squid:Pr0xy-Pass@proxy.example.local:3128")]
    [InlineData("squid:Pr0xy-Pass@proxy.example.local:3128")]
    [InlineData("http://squid@proxy.example.local:3128")]
    [InlineData("http://squid:Pr0xy/Pass@proxy.example.local:3128")]
    public void AProxyUrlWithALogin_IsRefusedOnItsField_WithoutRepeatingIt(string url)
    {
        var errors = Validate(Settings(s => (s.HttpProxy, s.HttpsProxy) = (url, url)));

        Assert.Equal(["httpProxy", "httpsProxy"], errors.Fields);
        Assert.StartsWith("HTTP proxy URL must not carry a login (user:password@)", errors.For("httpProxy"), StringComparison.Ordinal);
        Assert.StartsWith("HTTPS proxy URL must not carry a login", errors.For("httpsProxy"), StringComparison.Ordinal);
        Assert.Contains("enter the login in the proxy user name and proxy password fields", errors.For("httpProxy"), StringComparison.Ordinal);
        Assert.DoesNotContain("squid", errors.For("httpProxy") + errors.For("httpsProxy"), StringComparison.Ordinal);
    }

    [Fact]
    public void AProxyLogin_IsAUserNameAndAPassword()
    {
        Assert.True(Validate(Settings(s => s.ProxyUsername = "squid"), proxyPassword: "Pr0xy-Pass").IsEmpty);
        Assert.Equal("Password for proxy user 'squid' is required.", Validate(Settings(s => s.ProxyUsername = "squid")).For("proxyPassword"));
        Assert.StartsWith("Proxy user name is required with a proxy password", Validate(Settings(), proxyPassword: "Pr0xy-Pass").For("proxyUsername"), StringComparison.Ordinal);
        Assert.Contains("must not contain ':'", Validate(Settings(s => s.ProxyUsername = "squid:pass"), proxyPassword: "x").For("proxyUsername"), StringComparison.Ordinal);
    }

    [Fact]
    public void WithTheProxyOff_ItsUrlsAndLoginAreNotChecked() =>
        Assert.True(Validate(Settings(s => (s.ProxyEnabled, s.HttpProxy) = (false, "http://u:p@proxy")), proxyPassword: "orphan").IsEmpty);
}
