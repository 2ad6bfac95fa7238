using System.Globalization;

namespace Runner.Appliance.Features.Preflight.Prism;

/// <summary>Messages that name what exists when a configured name is missing, so that the fix is a copy, not a search.</summary>
public static class PrismNames
{
    /// <summary>How many existing names a message lists before it says how many more there are.</summary>
    private const int Listed = 12;

    /// <summary>"Subnet 'vlan9' not found on cluster ganon; subnets there: a, b. Did you mean 'VLAN9'?"</summary>
    public static string Missing(string what, string name, string where, IEnumerable<string> existing)
    {
        var names = existing.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var plural = what.EndsWith('s') ? what.ToLowerInvariant() : $"{what.ToLowerInvariant()}s";
        var listed = names.Count == 0 ? $"there are no {plural} there"
            : $"{plural} there: {string.Join(", ", names.Take(Listed))}{(names.Count > Listed ? string.Create(CultureInfo.InvariantCulture, $" and {names.Count - Listed} more") : "")}";
        // Prism names are case-sensitive: a match that differs only in case is the likely typo.
        var near = names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return $"{what} '{name}' not found {where}; {listed}.{(near is null ? "" : $" Did you mean '{near}'?")}";
    }

    /// <summary>Bytes as a technician reads them: 1.5 TiB, 820 GiB.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
