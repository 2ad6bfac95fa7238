namespace Runner.Appliance.Features.Architecture;

/// <summary>One VM the sizing asks for: its group, its position in the group, where and how big.</summary>
public sealed record VmSpec(string Group, int Index, string Zone, int Vcpu, int RamGb, IReadOnlyList<int> DisksGb);

/// <summary>What the sizing rules give for a number of users and a set of products.</summary>
public sealed record SizingResult(SizingTier Tier, IReadOnlyList<VmSpec> Vms)
{
    public int TotalVcpu => Vms.Sum(v => v.Vcpu);

    public int TotalRamGb => Vms.Sum(v => v.RamGb);

    public int TotalDiskGb => Vms.Sum(v => v.DisksGb.Sum());
}

public static class Sizing
{
    /// <summary>
    /// The VMs of every group, in the file's order: the tier's count plus the extra VMs of each
    /// selected product; groups limited to products that are not selected are left out.
    /// </summary>
    public static SizingResult Size(SizingRules rules, int users, IReadOnlyCollection<string> products)
    {
        var tier = rules.TierFor(users)
            ?? throw new ArgumentOutOfRangeException(nameof(users), users, $"No sizing tier covers {users:N0} users.");
        var vms = new List<VmSpec>();
        foreach (var group in rules.Groups)
        {
            if (group.Products.Count > 0 && !group.Products.Any(products.Contains))
                continue;
            var size = group.Tiers[tier.Id];
            var count = size.Count + group.PerProduct
                .Where(p => products.Contains(p.Key))
                .Sum(p => p.Value.GetValueOrDefault(tier.Id));
            for (var index = 1; index <= count; index++)
                vms.Add(new VmSpec(group.Id, index, group.Zone, size.Vcpu, size.RamGb, size.DisksGb));
        }
        return new SizingResult(tier, vms);
    }

    /// <summary>Applies the host name pattern, e.g. prod-vault-01.</summary>
    public static string HostName(SizingRules rules, string prefix, string group, int index) =>
        rules.HostnamePattern
            .Replace("{prefix}", prefix, StringComparison.Ordinal)
            .Replace("{group}", group, StringComparison.Ordinal)
            .Replace("{nn}", index.ToString("00", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .ToLowerInvariant();
}
