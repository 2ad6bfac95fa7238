using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Runner.Appliance.Validation;

/// <summary>Syntax rules for what a technician types about the network: names, ports, URLs, addresses.</summary>
public static partial class NetworkRules
{
    /// <summary>An RFC 1123 label: 1–63 letters, digits or hyphens, not starting or ending with a hyphen.</summary>
    public static bool IsHostLabel(string value) => value.Length is >= 1 and <= 63 && LabelPattern().IsMatch(value);

    /// <summary>An RFC 1123 host name: one or more labels, at most 253 characters, not all-numeric at the end.</summary>
    public static bool IsHostName(string value)
    {
        var name = value.TrimEnd('.');
        if (name.Length is 0 or > 253)
            return false;
        var labels = name.Split('.');
        return labels.All(IsHostLabel) && !labels[^1].All(char.IsAsciiDigit);
    }

    /// <summary>A DNS domain of at least two labels.</summary>
    public static bool IsDomainName(string value) => IsHostName(value) && value.TrimEnd('.').Contains('.', StringComparison.Ordinal);

    /// <summary>A host is a host name or an IPv4 address.</summary>
    public static bool IsHost(string value) => Ipv4.TryParse(value, out _) || IsHostName(value);

    public static bool IsPort(int port) => port is >= 1 and <= 65535;

    public static bool IsUrl(string value, params string[] schemes) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
        && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)
        && !string.IsNullOrEmpty(uri.Host);

    public static bool IsEmail(string value) =>
        MailAddress.TryCreate(value.Trim(), out var address) && address.Address == value.Trim() && IsDomainName(address.Host);

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")]
    private static partial Regex LabelPattern();
}
