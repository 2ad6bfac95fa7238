using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Security;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Security;

public sealed class SecretStorageTests : IDisposable
{
    private const string Marker = "vcenter-Pa55word-MARKER-7f3a";
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task StoredSecret_IsNotInTheSqliteFilesInPlainText()
    {
        using (var host = new ApplianceHost(_data.Path))
        {
            var secrets = host.Services.GetRequiredService<SecretStore>();
            await secrets.SetAsync("probe", Marker);
            Assert.Equal(Marker, await secrets.GetAsync("probe"));
        }
        SqliteConnection.ClearAllPools();

        foreach (var file in Directory.GetFiles(_data.Path, "appliance.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(Marker)), $"{Path.GetFileName(file)} holds the secret in UTF-8");
            Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(Marker)), $"{Path.GetFileName(file)} holds the secret in UTF-16");
        }
    }

    [Fact]
    public async Task Restart_KeepsDataAndKeys_ASecretWrittenBeforeDecryptsAfter()
    {
        using (var first = new ApplianceHost(_data.Path))
        {
            await first.AdminClientAsync();
            await first.Services.GetRequiredService<SecretStore>().SetAsync("probe", Marker);
        }
        SqliteConnection.ClearAllPools();

        using var second = new ApplianceHost(_data.Path);
        var client = second.CreateClient();

        Assert.Equal(Marker, await second.Services.GetRequiredService<SecretStore>().GetAsync("probe"));
        Assert.NotEmpty(await Api.TokenAsync(client));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_data.Path, "keys"), "key-*.xml"));
    }

    [Fact]
    public async Task TokenIssuedBeforeRestart_IsStillAcceptedAfter()
    {
        string token;
        using (var first = new ApplianceHost(_data.Path))
            token = await Api.TokenAsync((await first.AdminClientAsync()));
        SqliteConnection.ClearAllPools();

        using var second = new ApplianceHost(_data.Path);
        var response = await second.CreateClient().WithToken(token).GetAsync("/api/v1/me");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Ciphertext_DoesNotDecryptUnderAnotherPurpose()
    {
        using var host = new ApplianceHost(_data.Path);
        var protector = host.Services.GetRequiredService<ISecretProtector>();

        var ciphertext = protector.Protect("hypervisor/password", Marker);

        Assert.DoesNotContain(Marker, ciphertext);
        Assert.Equal(Marker, protector.Unprotect("hypervisor/password", ciphertext));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect("ldap/password", ciphertext));
    }

    [Fact]
    public void SecretInput_KeepsReplacesOrClearsTheStoredCiphertext()
    {
        using var host = new ApplianceHost(_data.Path);
        var protector = host.Services.GetRequiredService<ISecretProtector>();
        var stored = protector.Protect("smtp/password", "old-value");

        Assert.Equal(stored, SecretInput.Keep.ApplyTo(stored, protector, "smtp/password"));
        Assert.Null(new SecretInput(Clear: true).ApplyTo(stored, protector, "smtp/password"));
        var replaced = new SecretInput("new-value").ApplyTo(stored, protector, "smtp/password");
        Assert.Equal("new-value", protector.Unprotect("smtp/password", replaced!));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeyRing_IsReadableByTheServiceAccountOnly()
    {
        using var host = new ApplianceHost(_data.Path);
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("probe").Protect("x");

        var mode = File.GetUnixFileMode(Path.Combine(_data.Path, "keys"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    public void Dispose() => _data.Dispose();
}
