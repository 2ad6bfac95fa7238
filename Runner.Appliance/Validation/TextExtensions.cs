namespace Runner.Appliance.Validation;

public static class TextExtensions
{
    /// <summary>An optional text field as stored: trimmed, and null when blank.</summary>
    public static string? TrimmedOrNull(this string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
