using System.Diagnostics;

namespace Runner.Appliance.Features.SecuritySettings;

public sealed record SshKeyPair(string PrivateKey, string PublicKey);

/// <summary>
/// Generates deployment key pairs and derives public keys with the system's ssh-keygen (OpenSSH
/// ships on the appliance image): the same tool an administrator would use, no home-made crypto.
/// Key files live in a private temporary directory for the length of one call.
/// </summary>
public static class SshKeys
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<SshKeyPair> GenerateAsync(string type, CancellationToken ct = default)
    {
        if (type is not ("ed25519" or "rsa"))
            throw new ArgumentOutOfRangeException(nameof(type), type, "Expected ed25519 or rsa.");
        return await InTempDirectoryAsync(async file =>
        {
            string[] bits = type == "rsa" ? ["-b", "4096"] : [];
            await RunAsync(["-q", "-t", type, .. bits, "-N", "", "-C", "runner-deployment", "-f", file], ct);
            return new SshKeyPair(await File.ReadAllTextAsync(file, ct), (await File.ReadAllTextAsync(file + ".pub", ct)).Trim());
        });
    }

    /// <summary>The OpenSSH public key of a private key (null when ssh-keygen cannot read it).</summary>
    public static async Task<string?> PublicKeyOfAsync(string privateKey, string? passphrase, CancellationToken ct = default) =>
        await InTempDirectoryAsync(async file =>
        {
            await File.WriteAllTextAsync(file, privateKey.Trim() + "\n", ct);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                return (await RunAsync(["-y", "-P", passphrase ?? "", "-f", file], ct)).Trim();
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        });

    private static async Task<T> InTempDirectoryAsync<T>(Func<string, Task<T>> work)
    {
        var directory = Directory.CreateTempSubdirectory("runner-ssh-");
        try
        {
            return await work(Path.Combine(directory.FullName, "key"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ssh-keygen could not be started.");
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException("ssh-keygen failed: " + (await process.StandardError.ReadToEndAsync(timeout.Token)).Trim());
        return await output;
    }
}
