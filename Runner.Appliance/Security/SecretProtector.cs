using Microsoft.AspNetCore.DataProtection;

namespace Runner.Appliance.Security;

/// <summary>
/// The only way a password, key or token reaches the store. Each purpose gets its own
/// Data Protection sub-key, so a ciphertext copied into another field does not decrypt there.
/// </summary>
public interface ISecretProtector
{
    string Protect(string purpose, string plaintext);

    string Unprotect(string purpose, string ciphertext);
}

public sealed class SecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private const string Root = "Runner.Appliance.Secrets.v1";

    public string Protect(string purpose, string plaintext) => For(purpose).Protect(plaintext);

    public string Unprotect(string purpose, string ciphertext) => For(purpose).Unprotect(ciphertext);

    private IDataProtector For(string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        return provider.CreateProtector(Root, purpose);
    }
}
