using System.Buffers;
using System.Text.Json;

namespace Runner.Appliance.Security;

/// <summary>
/// Replaces every secret value of the configuration in text before it is stored or sent:
/// the value as written, its JSON-escaped form, and each line of a multi-line secret (keys).
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "********";

    /// <summary>Shorter values would mask ordinary words; the configuration's validators require longer secrets.</summary>
    public const int MinimumLength = 3;

    private readonly string[] _needles;
    private readonly SearchValues<string> _any;

    public SecretMasker(IEnumerable<string> secrets)
    {
        var needles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
        {
            needles.Add(secret);
            needles.Add(JsonSerializer.Serialize(secret)[1..^1]);
            foreach (var line in secret.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                needles.Add(line);
        }
        // Longest first, so that a secret containing another is masked whole.
        _needles = [.. needles.Where(n => n.Length >= MinimumLength).OrderByDescending(n => n.Length)];
        _any = SearchValues.Create(_needles, StringComparison.Ordinal);
    }

    public static SecretMasker None { get; } = new([]);

    public string Apply(string text)
    {
        // One vectorized pass tells whether any secret is there at all (nearly never): only then replace.
        if (_needles.Length == 0 || text.AsSpan().IndexOfAny(_any) < 0)
            return text;
        foreach (var needle in _needles)
            if (text.Contains(needle, StringComparison.Ordinal))
                text = text.Replace(needle, Mask, StringComparison.Ordinal);
        return text;
    }
}
