using System.Security.Cryptography;
using System.Text.Json;

namespace Runner.Appliance.Features.AnswerFile;

/// <summary>Seals and opens the answer file's secrets with a passphrase the user types.</summary>
public static class SecretsEnvelope
{
    public const int Iterations = 600_000;

    public static EncryptedSecrets Seal(IReadOnlyDictionary<string, string> secrets, string passphrase)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(secrets);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(DeriveKey(passphrase, salt, Iterations), tag.Length);
        aes.Encrypt(nonce, plaintext, ciphertext, tag);
        CryptographicOperations.ZeroMemory(plaintext);
        return new EncryptedSecrets
        {
            Iterations = Iterations,
            Salt = Convert.ToBase64String(salt),
            Nonce = Convert.ToBase64String(nonce),
            Ciphertext = Convert.ToBase64String(ciphertext),
            Tag = Convert.ToBase64String(tag),
        };
    }

    /// <summary>The secrets, or null when the passphrase is wrong or the envelope was altered.</summary>
    public static Dictionary<string, string>? Open(EncryptedSecrets envelope, string passphrase)
    {
        try
        {
            var ciphertext = Convert.FromBase64String(envelope.Ciphertext);
            var plaintext = new byte[ciphertext.Length];
            using var aes = new AesGcm(DeriveKey(passphrase, Convert.FromBase64String(envelope.Salt), Math.Max(envelope.Iterations, 100_000)), 16);
            aes.Decrypt(Convert.FromBase64String(envelope.Nonce), ciphertext, Convert.FromBase64String(envelope.Tag), plaintext);
            return JsonSerializer.Deserialize<Dictionary<string, string>>(plaintext);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    private static byte[] DeriveKey(string passphrase, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, iterations, HashAlgorithmName.SHA256, 32);
}
