namespace Runner.Appliance.Security;

/// <summary>
/// What a form sends for a write-only secret field: nothing (keep), a new value (replace) or a
/// request to clear it. A stored secret is never sent back to a browser or API client.
/// </summary>
public sealed record SecretInput([property: Validation.TextLimit(Validation.TextRules.SecretMaxLength, multiLine: true)] string? NewValue = null, bool Clear = false)
{
    public static SecretInput Keep { get; } = new();

    /// <summary>Applies this input to a stored ciphertext and returns the new ciphertext.</summary>
    public string? ApplyTo(string? currentCiphertext, ISecretProtector protector, string purpose) =>
        Clear ? null
        : string.IsNullOrEmpty(NewValue) ? currentCiphertext
        : protector.Protect(purpose, NewValue);

    /// <summary>The value in clear that will be stored once this input is applied (what validators must check).</summary>
    public string? Reveal(string? currentCiphertext, ISecretProtector protector, string purpose) =>
        Clear ? null
        : !string.IsNullOrEmpty(NewValue) ? NewValue
        : currentCiphertext is null ? null : protector.Unprotect(purpose, currentCiphertext);
}
