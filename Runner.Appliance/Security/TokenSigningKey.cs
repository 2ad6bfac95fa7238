using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Runner.Appliance.Security;

/// <summary>
/// The HMAC key that signs API tokens: generated once per appliance, stored encrypted, loaded at
/// start-up. Never hard-coded, never the same on two appliances.
/// </summary>
public sealed class TokenSigningKey(SecretStore secrets)
{
    private const string SecretName = "api-token-signing-key";
    private SymmetricSecurityKey? _key;

    public SymmetricSecurityKey Key => _key ?? throw new InvalidOperationException("The token signing key is loaded at start-up, after migrations.");

    public async Task LoadAsync(CancellationToken ct = default)
    {
        var encoded = await secrets.GetOrCreateAsync(SecretName, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)), ct);
        _key = new SymmetricSecurityKey(Convert.FromBase64String(encoded)) { KeyId = "appliance" };
    }
}
