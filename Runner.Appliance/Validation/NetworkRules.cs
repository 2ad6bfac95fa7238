using System.Text.RegularExpressions;

namespace Runner.Appliance.Validation;

/// <summary>Syntax rules for names on the network (RFC 1123 labels, DNS domains).</summary>
public static partial class NetworkRules
{
    /// <summary>An RFC 1123 label: 1–63 letters, digits or hyphens, not starting or ending with a hyphen.</summary>
    public static bool IsHostLabel(string value) => value.Length is >= 1 and <= 63 && LabelPattern().IsMatch(value);

    /// <summary>A DNS domain of at least two labels, at most 253 characters.</summary>
    public static bool IsDomainName(string value)
    {
        var name = value.TrimEnd('.');
        if (name.Length is 0 or > 253)
            return false;
        var labels = name.Split('.');
        return labels.Length >= 2 && labels.All(IsHostLabel) && !labels[^1].All(char.IsAsciiDigit);
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")]
    private static partial Regex LabelPattern();
}
