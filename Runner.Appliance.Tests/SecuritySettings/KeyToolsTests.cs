using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.SecuritySettings;

public sealed class KeyToolsTests : AdminAppliance
{
    private static string Pfx(string password)
    {
        var (certificatePem, keyPem) = KeyFactory.ValidCertificate("*.apps.example.local");
        using var certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pfx, password));
    }

    [Theory]
    [InlineData("ed25519", "ssh-ed25519 ")]
    [InlineData("rsa", "ssh-rsa ")]
    public async Task GeneratedKeys_LoadAndCarryTheirPublicKey(string type, string prefix)
    {
        var pair = await SshKeys.GenerateAsync(type);

        Assert.Null(KeyMaterial.SshKeyProblem(pair.PrivateKey, null));
        Assert.StartsWith(prefix, pair.PublicKey);
        Assert.Equal(pair.PublicKey.Split(' ')[1], (await SshKeys.PublicKeyOfAsync(pair.PrivateKey, null))!.Split(' ')[1]);
    }

    [Fact]
    public void APfx_BecomesPemCertificateAndKey_AndAWrongPasswordIsRefused()
    {
        var pfx = Pfx("pfx-password");

        var pem = Pkcs12Import.Convert(pfx, "pfx-password", out var problem);
        var wrong = Pkcs12Import.Convert(pfx, "nope", out var wrongProblem);

        Assert.Null(problem);
        Assert.Null(KeyMaterial.CertificateProblem(pem!.Value.CertificatePem, pem.Value.KeyPem, DateTimeOffset.UtcNow));
        Assert.Null(wrong);
        Assert.Contains("the password is wrong", wrongProblem);
    }

    [Fact]
    public async Task SavingWithAPfxAndAnSshKey_StoresTheCertificateAndDerivesThePublicKey()
    {
        var ssh = await SshKeys.GenerateAsync("ed25519");

        var save = await Admin.PutAsJsonAsync("/api/v1/security", new
        {
            tlsMode = "InternalCa", pfx = new { newValue = Pfx("pfx-password") }, pfxPassword = new { newValue = "pfx-password" },
            deploymentUser = "runner", sshPrivateKey = new { newValue = ssh.PrivateKey }, version = 0,
        });
        var stored = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/security");

        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
        Assert.Equal("Upload", stored.GetProperty("tlsMode").GetString());
        Assert.Contains("*.apps.example.local", stored.GetProperty("certificateSummary").GetString());
        Assert.True(stored.GetProperty("privateKeySet").GetBoolean());
        Assert.Equal(ssh.PublicKey.Split(' ')[1], stored.GetProperty("sshPublicKey").GetString()!.Split(' ')[1]);
    }

    [Fact]
    public async Task AWrongPfxPassword_IsRefusedOnThePfxField()
    {
        var save = await Admin.PutAsJsonAsync("/api/v1/security", new
        {
            pfx = new { newValue = Pfx("pfx-password") }, pfxPassword = new { newValue = "wrong" }, deploymentUser = "runner", version = 0,
        });

        Assert.Equal(HttpStatusCode.BadRequest, save.StatusCode);
        Assert.Contains("could not be opened", (await Api.ProblemAsync(save)).GetProperty("errors").GetProperty("pfx")[0].GetString());
    }
}
