using System.Security.Cryptography;
using Runner.Appliance.Engine;
using Runner.Appliance.Security;

namespace Runner.Appliance.Features.Credentials;

/// <summary>
/// The secrets roles declare in the catalog (RKE2 tokens, registry and Gogs passwords), generated once with a
/// CSPRNG on the first run that needs them and kept through the secret protector: every later run and resume
/// gets the same value (a cluster token that changed would lock the nodes out), and no value is ever a default.
/// </summary>
public sealed class GeneratedSecrets(SecretStore store, CatalogFile catalog)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string StoreName(string name) => $"generated/{name}";

    /// <summary>Every declared secret by name, each generated now if it never was.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnsureAllAsync(CancellationToken ct)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var secret in catalog.Catalog.Roles.SelectMany(r => r.Secrets))
            values[secret.Name] = await store.GetOrCreateAsync(StoreName(secret.Name), () => RandomNumberGenerator.GetString(Alphabet, secret.Length), ct);
        return values;
    }

    /// <summary>The value of one declared secret, null when it has not been generated yet.</summary>
    public Task<string?> GetAsync(string name, CancellationToken ct) => store.GetAsync(StoreName(name), ct);
}
