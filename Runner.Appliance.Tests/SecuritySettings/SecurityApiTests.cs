using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.SecuritySettings;

public sealed class SecurityApiTests : AdminAppliance
{
    [Fact]
    public async Task Keys_AreWriteOnly_AndAreNeverReturnedOrAudited()
    {
        var ssh = KeyFactory.SshPrivateKey();
        var site = KeyFactory.ValidCertificate();

        var save = await Admin.PutAsJsonAsync("/api/v1/security", new
        {
            tlsMode = "Upload", certificatePem = site.CertificatePem, privateKey = new { newValue = site.KeyPem },
            deploymentUser = "runner", sshPrivateKey = new { newValue = ssh }, version = 0,
        });
        var read = await Admin.GetStringAsync("/api/v1/security");
        var audit = await Admin.GetStringAsync("/api/v1/audit");

        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
        var keyBody = site.KeyPem.Split('\n')[1];
        var sshBody = ssh.Split('\n')[1];
        Assert.DoesNotContain(keyBody, read + audit);
        Assert.DoesNotContain(sshBody, read + audit);
        using var json = JsonDocument.Parse(read);
        Assert.True(json.RootElement.GetProperty("privateKeySet").GetBoolean());
        Assert.True(json.RootElement.GetProperty("sshPrivateKeySet").GetBoolean());
        Assert.Contains("*.example.local", json.RootElement.GetProperty("certificateSummary").GetString());
        Assert.Contains("sshPrivateKey", audit);
    }

    [Fact]
    public async Task AnInvalidSave_ChangesNothing()
    {
        var response = await Admin.PutAsJsonAsync("/api/v1/security", new { deploymentUser = "root", version = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("deploymentUser", out _));
        Assert.True(errors.TryGetProperty("sshPrivateKey", out _));
        Assert.Equal(0, (await Admin.GetFromJsonAsync<JsonElement>("/api/v1/security")).GetProperty("version").GetInt32());
    }
}
