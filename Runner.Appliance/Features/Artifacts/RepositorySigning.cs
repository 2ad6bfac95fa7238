using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Runner.Appliance.Features.Artifacts.Fetch;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// Signs the package repositories of the store with the appliance's own OpenPGP key, so that apt
/// (<c>deb [signed-by=…]</c>) and dnf (<c>repo_gpgcheck=1</c>) refuse an index the appliance did not write (ADR 0017).
/// The key is made on the first repository stored: ed25519, in <c>data/artifacts/signing</c> (0700), itself
/// encrypted with a passphrase kept through the secret protector; its public half is served at
/// <c>/artifacts/keys/runner-appliance.asc</c>. gpg does the OpenPGP work; its agent is stopped after each use.
/// </summary>
public sealed class RepositorySigning(ArtifactStore store, SecretStore secrets, ILogger<RepositorySigning> logger)
{
    public const string KeyFile = "keys/runner-appliance.asc";
    private const string Identity = "Runner Appliance artifact store <artifact-store@runner-appliance.invalid>";
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string HomePath => Path.Combine(store.Root, "signing");

    /// <summary>The served public key's path on the appliance; exists once a repository was signed.</summary>
    public string PublicKeyPath => store.In(StoreArea.Store, KeyFile);

    /// <summary>
    /// Writes the signatures of the repository in <paramref name="folder"/>: a Debian flat repository (Packages) gets
    /// Release (the sha256 and size of Packages and Packages.gz), InRelease and Release.gpg; an RPM one repodata/repomd.xml.asc.
    /// A folder with neither is left alone.
    /// </summary>
    public async Task SignAsync(string folder, string name, CancellationToken ct)
    {
        var debian = File.Exists(Path.Combine(folder, "Packages"));
        var rpm = File.Exists(Path.Combine(folder, "repodata", "repomd.xml"));
        if (!debian && !rpm)
            return;
        await _gate.WaitAsync(ct);
        try
        {
            var passphrase = await EnsureKeyAsync(ct);
            if (debian)
            {
                var release = Path.Combine(folder, "Release");
                await File.WriteAllTextAsync(release, Release(folder, name), ct);
                await GpgAsync(passphrase, ct, "--yes", "--clearsign", "--output", Path.Combine(folder, "InRelease"), release);
                await GpgAsync(passphrase, ct, "--yes", "--armor", "--detach-sign", "--output", Path.Combine(folder, "Release.gpg"), release);
            }
            else
            {
                var repomd = Path.Combine(folder, "repodata", "repomd.xml");
                await GpgAsync(passphrase, ct, "--yes", "--armor", "--detach-sign", "--output", repomd + ".asc", repomd);
            }
        }
        finally
        {
            await StopAgentAsync();
            _gate.Release();
        }
    }

    /// <summary>The key's fingerprint, or null before the first repository was signed.</summary>
    public async Task<string?> FingerprintAsync(CancellationToken ct)
    {
        if (!File.Exists(PublicKeyPath))
            return null;
        var show = await ToolRunner.RunAsync("gpg", ["--batch", "--with-colons", "--show-keys", PublicKeyPath], store.Root, ct);
        return show.Output.Split('\n').FirstOrDefault(l => l.StartsWith("fpr:", StringComparison.Ordinal))?.Split(':')[9];
    }

    private async Task<string> EnsureKeyAsync(CancellationToken ct)
    {
        var passphrase = await secrets.GetOrCreateAsync("artifacts/signing-passphrase", () => RandomNumberGenerator.GetHexString(64, lowercase: true), ct);
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The artifact store signs its repositories with gpg, on Linux.");
        Directory.CreateDirectory(HomePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var listed = await ToolRunner.RunAsync("gpg", ["--homedir", HomePath, "--batch", "--with-colons", "--list-secret-keys"], store.Root, ct);
        if (!listed.Output.Contains("sec:", StringComparison.Ordinal))
        {
            await GpgAsync(passphrase, ct, "--quick-generate-key", Identity, "ed25519", "sign", "never");
            logger.LogInformation("Made the artifact store's signing key in {Home}", HomePath);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(PublicKeyPath)!);
        var exported = await ToolRunner.RunAsync("gpg", ["--homedir", HomePath, "--batch", "--armor", "--export", Identity], store.Root, ct);
        if (exported.ExitCode != 0 || !exported.Output.Contains("BEGIN PGP PUBLIC KEY BLOCK", StringComparison.Ordinal))
            throw new InvalidOperationException($"gpg could not export the store's signing key: {exported.Tail}");
        await File.WriteAllTextAsync(PublicKeyPath, exported.Output, ct);
        return passphrase;
    }

    private async Task GpgAsync(string passphrase, CancellationToken ct, params string[] arguments)
    {
        var result = await ToolRunner.RunAsync("gpg", ["--homedir", HomePath, "--batch", "--pinentry-mode", "loopback", "--passphrase-fd", "0", .. arguments], store.Root, ct, passphrase);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"gpg {arguments[^2]} failed (exit {result.ExitCode}): {result.Tail}");
    }

    private async Task StopAgentAsync()
    {
        if (Directory.Exists(HomePath))
            await ToolRunner.RunAsync("gpgconf", ["--homedir", HomePath, "--kill", "gpg-agent"], store.Root, CancellationToken.None);
    }

    /// <summary>A flat repository's Release: what apt checks Packages against, once InRelease's signature holds.</summary>
    private static string Release(string folder, string name)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Origin: Runner Appliance\nLabel: {name}\nDate: {DateTimeOffset.UtcNow:ddd, dd MMM yyyy HH:mm:ss} UTC\nSHA256:\n");
        foreach (var index in new[] { "Packages", "Packages.gz" }.Where(f => File.Exists(Path.Combine(folder, f))))
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, index));
            text.Append(CultureInfo.InvariantCulture, $" {Convert.ToHexStringLower(SHA256.HashData(bytes))} {bytes.Length} {index}\n");
        }
        return text.ToString();
    }
}
