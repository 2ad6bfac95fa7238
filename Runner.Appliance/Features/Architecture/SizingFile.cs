using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Hosting;
using Runner.Appliance.Validation;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Runner.Appliance.Features.Architecture;

/// <summary>
/// Reads and checks the sizing rules once, on first use: the copy embedded in the binary, or the
/// site-specific file named by <c>Appliance:SizingFile</c>. A file that breaks a rule is refused
/// with every problem listed, never half-applied.
/// </summary>
public sealed class SizingFile
{
    private readonly Lazy<SizingRules> _rules;

    public SizingFile(IOptions<ApplianceOptions> options, IHostEnvironment environment) =>
        _rules = new(() => LoadConfigured(options.Value, environment));

    /// <summary>Rules given directly (tests, tools).</summary>
    public SizingFile(SizingRules rules) => _rules = new(rules);

    public SizingRules Rules => _rules.Value;

    private static SizingRules LoadConfigured(ApplianceOptions options, IHostEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(options.SizingFile))
            return LoadEmbedded();
        var path = Path.Combine(environment.ContentRootPath, options.SizingFile);
        using var reader = File.OpenText(path);
        return Parse(reader, path);
    }

    public static SizingRules LoadEmbedded()
    {
        using var stream = typeof(SizingFile).Assembly.GetManifestResourceStream("sizing.yml")
            ?? throw new InvalidOperationException("The embedded sizing.yml is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader, "sizing.yml (embedded)");
    }

    /// <summary>Parses and validates; throws <see cref="InvalidDataException"/> naming every problem.</summary>
    public static SizingRules Parse(TextReader yaml, string source)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        SizingRules rules;
        try
        {
            rules = deserializer.Deserialize<SizingRules>(yaml) ?? new SizingRules();
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: not valid sizing YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", e);
        }
        var problems = Validate(rules);
        if (problems.Count > 0)
            throw new InvalidDataException($"{source} breaks the sizing rules:{Environment.NewLine}- {string.Join($"{Environment.NewLine}- ", problems)}");
        return rules;
    }

    /// <summary>Every rule the file must follow, as sentences naming the group and tier at fault.</summary>
    public static IReadOnlyList<string> Validate(SizingRules rules)
    {
        var problems = new List<string>();
        if (rules.Version != 1)
            problems.Add($"version is {rules.Version}; this appliance reads version 1.");
        if (!rules.HostnamePattern.Contains("{nn}", StringComparison.Ordinal) || !rules.HostnamePattern.Contains("{group}", StringComparison.Ordinal))
            problems.Add($"hostname_pattern '{rules.HostnamePattern}' must contain {{group}} and {{nn}} so that every VM gets its own name.");
        CheckTiers(rules, problems);
        var tierIds = rules.Tiers.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in rules.Groups)
        {
            if (!NetworkRules.IsHostLabel(group.Id) || group.Id.Any(char.IsAsciiLetterUpper))
                problems.Add($"group id '{group.Id}' must be lowercase letters, digits and hyphens (it is part of host names).");
            if (!seen.Add(group.Id))
                problems.Add($"group '{group.Id}' is defined twice.");
            if (string.IsNullOrWhiteSpace(group.Zone))
                problems.Add($"group '{group.Id}' has no zone.");
            if (group.Roles.Count == 0)
                problems.Add($"group '{group.Id}' names no Ansible role: nothing would configure its VMs.");
            foreach (var product in group.Products.Concat(group.PerProduct.Keys).Where(p => !Products.IsKnown(p)).Distinct())
                problems.Add($"group '{group.Id}' names product '{product}', which is not a known product ({string.Join(", ", Products.All.Select(p => p.Id))}).");
            foreach (var tier in tierIds.Where(t => !group.Tiers.ContainsKey(t)))
                problems.Add($"group '{group.Id}' has no size for tier {tier}.");
            foreach (var tier in group.Tiers.Keys.Concat(group.PerProduct.Values.SelectMany(p => p.Keys)).Where(t => !tierIds.Contains(t)).Distinct())
                problems.Add($"group '{group.Id}' names tier '{tier}', which is not defined.");
            foreach (var (tier, size) in group.Tiers)
                CheckSize(rules.Limits, $"group '{group.Id}' tier {tier}", size, problems);
            foreach (var (product, extras) in group.PerProduct)
                foreach (var (tier, extra) in extras.Where(e => e.Value < 0))
                    problems.Add($"group '{group.Id}' adds {extra} VMs for {product} in tier {tier}; extra VMs cannot be negative.");
        }
        if (rules.Capacity.VcpuPerCore <= 0 || rules.Capacity.RamRatio <= 0 || rules.Capacity.DatastoreHeadroom is <= 0 or > 1)
            problems.Add("capacity: vcpu_per_core and ram_ratio must be positive and datastore_headroom within (0, 1].");
        return problems;
    }

    private static void CheckTiers(SizingRules rules, List<string> problems)
    {
        if (rules.Tiers.Count == 0)
            problems.Add("no tier is defined.");
        for (var i = 1; i < rules.Tiers.Count; i++)
            if (rules.Tiers[i].MaxUsers <= rules.Tiers[i - 1].MaxUsers)
                problems.Add($"tier {rules.Tiers[i].Id} must cover more users than tier {rules.Tiers[i - 1].Id} (max_users in increasing order).");
        if (rules.Tiers.Count > 0 && rules.Tiers[^1].MaxUsers < GeneralSettingsValidator.MaxConcurrentUsers)
            problems.Add($"the last tier ends at {rules.Tiers[^1].MaxUsers:N0} users; it must cover {GeneralSettingsValidator.MaxConcurrentUsers:N0}, the most the products step accepts.");
        if (rules.Tiers.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count() != rules.Tiers.Count)
            problems.Add("tier ids must be unique.");
    }

    private static void CheckSize(SizingLimits limits, string where, VmSize size, List<string> problems)
    {
        if (size.Count < 0 || size.Count > limits.CountPerGroup)
            problems.Add($"{where}: count {size.Count} is outside 0 to {limits.CountPerGroup}.");
        if (size.Count == 0)
            return;
        if (!limits.Vcpu.Contains(size.Vcpu))
            problems.Add($"{where}: {size.Vcpu} vCPU is outside {limits.Vcpu}.");
        if (!limits.RamGb.Contains(size.RamGb))
            problems.Add($"{where}: {size.RamGb} GB RAM is outside {limits.RamGb} GB.");
        if (!limits.Disks.Contains(size.DisksGb.Count))
            problems.Add($"{where}: {size.DisksGb.Count} disks is outside {limits.Disks}.");
        foreach (var disk in size.DisksGb.Where(d => !limits.DiskGb.Contains(d)))
            problems.Add($"{where}: a {disk} GB disk is outside {limits.DiskGb} GB.");
    }
}
