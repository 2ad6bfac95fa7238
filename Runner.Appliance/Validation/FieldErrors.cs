namespace Runner.Appliance.Validation;

/// <summary>
/// Validation messages keyed by field (or JSON path). The same object feeds the form (message
/// under the field) and the API (the <c>errors</c> map of a 400 problem details).
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public int Count => _errors.Sum(e => e.Value.Count);

    public IEnumerable<string> Fields => _errors.Keys;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
            _errors[field] = messages = [];
        messages.Add(message);
        return this;
    }

    /// <summary>The messages of one field, joined for display under it; null when valid.</summary>
    public string? For(string field) => _errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    public bool Has(string field) => _errors.ContainsKey(field);

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public static FieldErrors Single(string field, string message) => new FieldErrors().Add(field, message);
}
